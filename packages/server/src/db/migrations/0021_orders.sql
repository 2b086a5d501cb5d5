-- Commerce: orders, their lines (a snapshot of product, SKU and price at purchase, with
-- every price-pipeline step prorated to the line) and payment attempts.
CREATE TABLE orders (
  id                   bigserial PRIMARY KEY,
  order_no             text NOT NULL UNIQUE,
  user_id              bigint NOT NULL REFERENCES users(id),
  store_id             bigint REFERENCES stores(id),
  state                text NOT NULL CHECK (state IN ('pending_payment', 'paid', 'shipped', 'completed', 'cancelled')),
  -- price pipeline, order level (each is the sum of the same column over the lines)
  items_fen            bigint NOT NULL CHECK (items_fen >= 0),
  member_discount_fen  bigint NOT NULL DEFAULT 0 CHECK (member_discount_fen >= 0),
  coupon_fen           bigint NOT NULL DEFAULT 0 CHECK (coupon_fen >= 0),
  coupon_id            bigint,
  points_fen           bigint NOT NULL DEFAULT 0 CHECK (points_fen >= 0),
  points_used          bigint NOT NULL DEFAULT 0 CHECK (points_used >= 0),
  balance_fen          bigint NOT NULL DEFAULT 0 CHECK (balance_fen >= 0),
  -- what the payment provider takes
  payable_fen          bigint NOT NULL CHECK (payable_fen >= 0),
  -- pending ledger transfers that reserve the points / balance deductions
  points_transfer_id   bigint REFERENCES ledger_transfers(id),
  balance_transfer_id  bigint REFERENCES ledger_transfers(id),
  -- what after-sale has given back so far
  refunded_fen         bigint NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
  refunded_balance_fen bigint NOT NULL DEFAULT 0 CHECK (refunded_balance_fen >= 0),
  refunded_points      bigint NOT NULL DEFAULT 0 CHECK (refunded_points >= 0),
  refund_status        text NOT NULL DEFAULT 'none' CHECK (refund_status IN ('none', 'partial', 'full')),
  address              jsonb NOT NULL,
  note                 text NOT NULL DEFAULT '',
  payment_provider     text,
  created_at           timestamptz NOT NULL,
  pay_deadline         timestamptz NOT NULL,
  paid_at              timestamptz,
  shipped_at           timestamptz,
  carrier              text,
  tracking_no          text,
  completed_at         timestamptz,
  -- completed_at + settleAfterDays × 24 h: the end of the after-sale window
  settle_at            timestamptz,
  settled_at           timestamptz,
  cancelled_at         timestamptz,
  cancel_reason        text,
  CHECK (items_fen - member_discount_fen - coupon_fen - points_fen - balance_fen = payable_fen),
  CHECK (refunded_fen <= payable_fen AND refunded_balance_fen <= balance_fen AND refunded_points <= points_used)
);
CREATE INDEX orders_user_idx ON orders (user_id, id DESC);
CREATE INDEX orders_state_idx ON orders (state, id DESC);

CREATE TABLE order_lines (
  id                   bigserial PRIMARY KEY,
  order_id             bigint NOT NULL REFERENCES orders(id),
  product_id           bigint NOT NULL REFERENCES products(id),
  sku_id               bigint NOT NULL REFERENCES skus(id),
  title                text NOT NULL,
  spec                 jsonb NOT NULL,
  image                text,
  unit_price_fen       bigint NOT NULL CHECK (unit_price_fen >= 0),
  qty                  integer NOT NULL CHECK (qty > 0),
  subtotal_fen         bigint NOT NULL CHECK (subtotal_fen >= 0),
  member_discount_fen  bigint NOT NULL CHECK (member_discount_fen >= 0),
  coupon_fen           bigint NOT NULL CHECK (coupon_fen >= 0),
  points_fen           bigint NOT NULL CHECK (points_fen >= 0),
  points               bigint NOT NULL CHECK (points >= 0),
  balance_fen          bigint NOT NULL CHECK (balance_fen >= 0),
  -- the line's share of what the payment provider takes
  paid_fen             bigint NOT NULL CHECK (paid_fen >= 0),
  -- units in an open or finished after-sale request (never above qty)
  after_sale_qty       integer NOT NULL DEFAULT 0,
  refunded_qty         integer NOT NULL DEFAULT 0,
  -- what approved refunds of this line took so far (in flight included); later partial
  -- refunds take the cumulative share minus these, so a fully refunded line is exact
  refunded_fen         bigint NOT NULL DEFAULT 0 CHECK (refunded_fen >= 0),
  refunded_balance_fen bigint NOT NULL DEFAULT 0 CHECK (refunded_balance_fen >= 0),
  refunded_points      bigint NOT NULL DEFAULT 0 CHECK (refunded_points >= 0),
  CHECK (subtotal_fen - member_discount_fen - coupon_fen - points_fen - balance_fen = paid_fen),
  CHECK (after_sale_qty >= 0 AND after_sale_qty <= qty AND refunded_qty >= 0 AND refunded_qty <= after_sale_qty),
  CHECK (refunded_fen <= paid_fen AND refunded_balance_fen <= balance_fen AND refunded_points <= points)
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id, id);

CREATE TABLE payments (
  id                 bigserial PRIMARY KEY,
  order_id           bigint NOT NULL REFERENCES orders(id),
  provider           text NOT NULL,
  -- persisted before the provider is called; every retry reuses it
  out_trade_no       text NOT NULL UNIQUE,
  amount_fen         bigint NOT NULL CHECK (amount_fen > 0),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'paid', 'closed')),
  provider_trade_no  text,
  action             jsonb,
  notification_id    text,
  created_at         timestamptz NOT NULL,
  paid_at            timestamptz,
  -- paid after the order was cancelled: refunded in full automatically
  orphan_refund_no   text UNIQUE
);
CREATE INDEX payments_order_idx ON payments (order_id);
CREATE INDEX payments_pending_idx ON payments (created_at) WHERE status = 'pending';
-- at most one paid payment per order, whatever the races
CREATE UNIQUE INDEX payments_one_paid_idx ON payments (order_id) WHERE status = 'paid' AND orphan_refund_no IS NULL;
