-- In-store payments (收银台): a cashier asks for an amount, the customer pays it from a
-- QR code. The payment is an order without lines, tied to the store and the cashier, so
-- it goes through the same payment, refund and reward flow as any order.
ALTER TABLE orders ADD COLUMN cashier_id bigint REFERENCES users(id);

CREATE TABLE cashier_charges (
  id          bigserial PRIMARY KEY,
  -- what the QR code carries: unguessable, so a charge cannot be found by counting
  code        text NOT NULL UNIQUE,
  store_id    bigint NOT NULL REFERENCES stores(id),
  cashier_id  bigint NOT NULL REFERENCES users(id),
  amount_fen  bigint NOT NULL CHECK (amount_fen > 0),
  note        text NOT NULL DEFAULT '',
  -- the customer's order, created when the customer opens the charge to pay it
  order_id    bigint UNIQUE REFERENCES orders(id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX cashier_charges_cashier_idx ON cashier_charges (cashier_id, id DESC);
