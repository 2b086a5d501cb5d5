-- What a referral reward took from the merchant's referral budget (fen), so a reward
-- rejected in review gives exactly that back.
ALTER TABLE rewards ADD COLUMN budget_fen bigint NOT NULL DEFAULT 0 CHECK (budget_fen >= 0);
