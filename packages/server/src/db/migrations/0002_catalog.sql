-- Catalog: categories, products, SKUs (specs with their own price and stock).
CREATE TABLE categories (
  id          bigserial PRIMARY KEY,
  parent_id   bigint REFERENCES categories(id),
  name        text NOT NULL,
  sort        integer NOT NULL DEFAULT 0,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE products (
  id                bigserial PRIMARY KEY,
  category_id       bigint REFERENCES categories(id),
  store_id          bigint REFERENCES stores(id),
  title             text NOT NULL,
  subtitle          text NOT NULL DEFAULT '',
  -- sanitized HTML: no script survives the write path
  description_html  text NOT NULL DEFAULT '',
  images            jsonb NOT NULL DEFAULT '[]'::jsonb,
  on_shelf          boolean NOT NULL DEFAULT true,
  supplier          text,
  -- lowest SKU price, kept for listing and sorting
  price_fen         bigint NOT NULL CHECK (price_fen >= 0),
  sales             integer NOT NULL DEFAULT 0,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_listing_idx ON products (on_shelf, id DESC);
CREATE INDEX products_category_idx ON products (category_id, id DESC);

CREATE TABLE skus (
  id               bigserial PRIMARY KEY,
  product_id       bigint NOT NULL REFERENCES products(id),
  spec             jsonb NOT NULL DEFAULT '{}'::jsonb,
  price_fen        bigint NOT NULL CHECK (price_fen >= 0),
  -- supply price (cost) for supplier products, so profit is known
  cost_fen         bigint CHECK (cost_fen >= 0),
  stock            integer NOT NULL CHECK (stock >= 0),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX skus_product_idx ON skus (product_id);
