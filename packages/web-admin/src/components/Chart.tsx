import { lazy, Suspense } from 'react';
import { Spin } from 'antd';
import type { EChartProps } from './EChart.tsx';

// ECharts is the console's largest library: it is fetched the first time a chart is
// drawn, so neither the login page nor a page's cards wait for it.
const EChart = lazy(() => import('./EChart.tsx'));

export function Chart(props: EChartProps) {
  return (
    <Suspense
      fallback={
        <div className={`center ${props.className ?? ''}`} style={props.style}>
          <Spin />
        </div>
      }
    >
      <EChart {...props} />
    </Suspense>
  );
}
