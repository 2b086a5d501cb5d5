-- Store recruiting (招商奖励): the user who brought a store earns a share of the
-- platform's commission on that store's orders.
ALTER TABLE stores ADD COLUMN recruiter_id bigint REFERENCES users(id);
-- the platform's commission on the store's orders, in hundredths of a percent (1050 = 10.50 %)
ALTER TABLE stores ADD COLUMN platform_commission_pct_h integer NOT NULL DEFAULT 0
  CHECK (platform_commission_pct_h >= 0 AND platform_commission_pct_h <= 10000);
