-- Commerce: after-sale requests (退款 / 退货退款), partial quantities per line.
CREATE TABLE after_sales (
  id                  bigserial PRIMARY KEY,
  order_id            bigint NOT NULL REFERENCES orders(id),
  user_id             bigint NOT NULL REFERENCES users(id),
  kind                text NOT NULL CHECK (kind IN ('refund', 'return_refund')),
  status              text NOT NULL CHECK (status IN ('pending', 'rejected', 'cancelled', 'refunding', 'refunded', 'failed')),
  reason              text NOT NULL DEFAULT '',
  -- amounts fixed when the merchant approves (prorated from the lines)
  refund_fen          bigint NOT NULL DEFAULT 0 CHECK (refund_fen >= 0),
  refund_balance_fen  bigint NOT NULL DEFAULT 0 CHECK (refund_balance_fen >= 0),
  refund_points       bigint NOT NULL DEFAULT 0 CHECK (refund_points >= 0),
  -- persisted before the provider is called; every retry reuses it
  out_refund_no       text UNIQUE,
  provider            text,
  provider_refund_no  text,
  -- pending ledger transfers reversing the order, posted when the refund succeeds
  transfer_ids        jsonb NOT NULL DEFAULT '[]'::jsonb,
  reviewer_id         bigint REFERENCES users(id),
  review_note         text,
  failure             text,
  created_at          timestamptz NOT NULL,
  reviewed_at         timestamptz,
  refunded_at         timestamptz
);
CREATE INDEX after_sales_order_idx ON after_sales (order_id);
CREATE INDEX after_sales_user_idx ON after_sales (user_id, id DESC);
CREATE INDEX after_sales_status_idx ON after_sales (status, id DESC);

CREATE TABLE after_sale_lines (
  after_sale_id       bigint NOT NULL REFERENCES after_sales(id),
  order_line_id       bigint NOT NULL REFERENCES order_lines(id),
  qty                 integer NOT NULL CHECK (qty > 0),
  refund_fen          bigint NOT NULL DEFAULT 0,
  refund_balance_fen  bigint NOT NULL DEFAULT 0,
  refund_points       bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (after_sale_id, order_line_id)
);
