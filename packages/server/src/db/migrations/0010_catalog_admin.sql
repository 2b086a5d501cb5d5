-- Catalog administration: soft removal of products and SKUs (orders keep pointing at
-- them), edit times, a live-spec uniqueness rule, index support for the console and the
-- shop, and the record of uploaded images.

ALTER TABLE products ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
-- a removed product stays for the orders that name it, off shelf for good
ALTER TABLE products ADD COLUMN deleted_at timestamptz;
ALTER TABLE products ADD CONSTRAINT products_removed_off_shelf CHECK (deleted_at IS NULL OR NOT on_shelf);

ALTER TABLE skus ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
-- a removed SKU keeps its row (order lines name it) with no stock left to sell
ALTER TABLE skus ADD COLUMN deleted_at timestamptz;
-- Stock that comes back to a removed SKU (an unpaid order cancelled later) is not
-- sellable again: the row keeps 0, so `stock - n >= 0` checks refuse it everywhere.
CREATE FUNCTION fanli_removed_sku_no_stock() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.deleted_at IS NOT NULL THEN
    NEW.stock := 0;
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER skus_removed_no_stock BEFORE INSERT OR UPDATE ON skus
  FOR EACH ROW EXECUTE FUNCTION fanli_removed_sku_no_stock();
-- one live SKU per spec combination of a product (jsonb equality ignores key order)
CREATE UNIQUE INDEX skus_product_spec_live_idx ON skus (product_id, spec) WHERE deleted_at IS NULL;

CREATE INDEX categories_parent_idx ON categories (parent_id, sort, id);
-- the shop's category pages: newest on-shelf products of one category
CREATE INDEX products_shelf_category_idx ON products (category_id, id DESC) WHERE on_shelf;
-- the console: a store's goods
CREATE INDEX products_store_idx ON products (store_id, id DESC) WHERE store_id IS NOT NULL;

-- Images uploaded by staff, stored content-addressed under <dataDir>/uploads/<sha256>.<ext>.
CREATE TABLE uploads (
  sha256        text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  file_name     text NOT NULL UNIQUE,
  content_type  text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'image/gif')),
  size_bytes    integer NOT NULL CHECK (size_bytes > 0),
  created_by    bigint REFERENCES users(id),
  created_at    timestamptz NOT NULL
);
