-- Commerce: cash withdrawals (reviewed, paid out through the provider) and product reviews.
CREATE TABLE withdrawals (
  id                   bigserial PRIMARY KEY,
  user_id              bigint NOT NULL REFERENCES users(id),
  amount_fen           bigint NOT NULL CHECK (amount_fen > 0),
  fee_fen              bigint NOT NULL CHECK (fee_fen >= 0 AND fee_fen < amount_fen),
  -- amount_fen - fee_fen: what the provider sends
  payout_fen           bigint NOT NULL CHECK (payout_fen > 0),
  provider             text NOT NULL,
  payee                jsonb NOT NULL,
  status               text NOT NULL CHECK (status IN ('pending', 'paying', 'paid', 'rejected', 'failed')),
  -- persisted at request time, reused by every payout attempt
  out_bill_no          text NOT NULL UNIQUE,
  provider_bill_no     text,
  reserve_transfer_id  bigint NOT NULL REFERENCES ledger_transfers(id),
  fee_transfer_id      bigint REFERENCES ledger_transfers(id),
  package_info         text,
  reviewer_id          bigint REFERENCES users(id),
  review_note          text,
  failure              text,
  created_at           timestamptz NOT NULL,
  reviewed_at          timestamptz,
  finished_at          timestamptz,
  CHECK (payout_fen = amount_fen - fee_fen)
);
CREATE INDEX withdrawals_user_idx ON withdrawals (user_id, id DESC);
CREATE INDEX withdrawals_status_idx ON withdrawals (status, id DESC);

CREATE TABLE reviews (
  id             bigserial PRIMARY KEY,
  order_id       bigint NOT NULL REFERENCES orders(id),
  order_line_id  bigint NOT NULL UNIQUE REFERENCES order_lines(id),
  product_id     bigint NOT NULL REFERENCES products(id),
  sku_id         bigint NOT NULL REFERENCES skus(id),
  user_id        bigint NOT NULL REFERENCES users(id),
  rating         smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  -- stored raw, returned as text; clients escape it
  content        text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL
);
CREATE INDEX reviews_product_idx ON reviews (product_id, id DESC);
