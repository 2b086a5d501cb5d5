-- Commerce: shipping addresses and the shopping cart (one row per user and SKU).
CREATE TABLE addresses (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id),
  name        text NOT NULL,
  phone       text NOT NULL,
  province    text NOT NULL DEFAULT '',
  city        text NOT NULL DEFAULT '',
  district    text NOT NULL DEFAULT '',
  detail      text NOT NULL,
  is_default  boolean NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL
);
CREATE INDEX addresses_user_idx ON addresses (user_id, id);

CREATE TABLE cart_items (
  user_id     bigint NOT NULL REFERENCES users(id),
  sku_id      bigint NOT NULL REFERENCES skus(id),
  qty         integer NOT NULL CHECK (qty > 0 AND qty <= 999),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (user_id, sku_id)
);
