import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Price } from './ui.tsx';

/** The price steps an order shows: checkout's preview and a placed order alike. */
export interface PriceSteps {
  itemsFen: number;
  memberDiscountFen: number;
  couponFen: number;
  pointsFen: number;
  pointsUsed: number;
  balanceFen: number;
}

function Deduction({ label, fen, testId }: { label: string; fen: number; testId: string }) {
  if (fen <= 0) return null;
  return (
    <div className="sum-row" data-testid={testId}>
      <span>{label}</span>
      <span>
        -<Price fen={fen} />
      </span>
    </div>
  );
}

/**
 * Items → member discount → coupon → points → balance, in the order the server prices
 * them; the same rows at checkout and on the order page, so a discount shown before
 * paying is still there afterwards. `children` follow the rows (checkout's switches, the
 * order's payable and refunds).
 */
export function PriceSummary({ steps, children }: { steps: PriceSteps; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <section className="card summary" aria-label={t('checkout.summary')}>
      <div className="sum-row">
        <span>{t('checkout.itemsTotal')}</span>
        <Price fen={steps.itemsFen} />
      </div>
      <Deduction
        label={t('checkout.memberDiscount')}
        fen={steps.memberDiscountFen}
        testId="sum-member"
      />
      <Deduction label={t('checkout.coupon')} fen={steps.couponFen} testId="sum-coupon" />
      <Deduction
        label={t('checkout.points', { count: steps.pointsUsed })}
        fen={steps.pointsFen}
        testId="sum-points"
      />
      <Deduction label={t('checkout.balance')} fen={steps.balanceFen} testId="sum-balance" />
      {children}
    </section>
  );
}
