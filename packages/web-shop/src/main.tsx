import { StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { unstableSetRender } from 'antd-mobile';
import './i18n.ts';
import { captureReferral } from './referral.ts';
import App from './App.tsx';
import './styles.css';
import './styles-pages.css';

// antd-mobile 5 renders Dialog/Toast imperatively with ReactDOM.render, which React 19
// removed: give it createRoot (https://mobile.ant.design/guide/v5-for-19).
unstableSetRender((node, container) => {
  const c = container as Element & { _fanliRoot?: Root };
  c._fanliRoot ??= createRoot(c);
  const root = c._fanliRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete c._fanliRoot;
  };
});

// `?ref=CODE` on any shop URL is the friend's invitation; keep it until sign-up.
captureReferral(window.location.search);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
