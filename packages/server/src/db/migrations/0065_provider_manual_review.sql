-- A refund or payout whose provider gave no final answer after the last poll waits for an
-- operator in `manual_review` (docs/payments.md) instead of being polled forever.
ALTER TABLE after_sales DROP CONSTRAINT after_sales_status_check;
ALTER TABLE after_sales ADD CONSTRAINT after_sales_status_check
  CHECK (status IN ('pending', 'rejected', 'cancelled', 'refunding', 'manual_review', 'refunded', 'failed'));
ALTER TABLE withdrawals DROP CONSTRAINT withdrawals_status_check;
ALTER TABLE withdrawals ADD CONSTRAINT withdrawals_status_check
  CHECK (status IN ('pending', 'paying', 'manual_review', 'paid', 'rejected', 'failed'));
