import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import './i18n.ts';
import { captureReferral } from './referral.ts';
import App from './App.tsx';
import './styles.css';

// `?ref=CODE` on any shop URL is the friend's invitation; keep it until sign-up.
captureReferral(window.location.search);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
