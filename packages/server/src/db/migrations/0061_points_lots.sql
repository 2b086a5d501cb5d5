-- Points lots (SPEC §5 expiry): every grant of points that becomes available is a lot
-- with its own expiry. Spending consumes a user's lots oldest-granted first; the expiry
-- job forfeits what is left of a due lot (ledger reason `points.expired`). Kept in step
-- with the ledger by an observer of posted points transfers (rules/points-lots.ts).
CREATE TABLE points_lots (
  id                  bigserial PRIMARY KEY,
  user_id             bigint NOT NULL REFERENCES users(id),
  -- the posted transfer (or the post of a pending one) that made the points available;
  -- null only for the opening lots below (balances held before lots existed)
  granted_transfer_id bigint UNIQUE REFERENCES ledger_transfers(id),
  amount              bigint NOT NULL CHECK (amount > 0),
  remaining           bigint NOT NULL CHECK (remaining >= 0 AND remaining <= amount),
  granted_at          timestamptz NOT NULL,
  -- null: never expires (rules without expiry when it was granted)
  expires_at          timestamptz,
  -- set when the expiry job closed the lot; expired_points is what it forfeited (it may be
  -- less than what was left when points were reserved by a pending debit)
  expired_at          timestamptz,
  expired_points      bigint NOT NULL DEFAULT 0 CHECK (expired_points >= 0),
  expiry_transfer_id  bigint REFERENCES ledger_transfers(id)
);
-- due lots, soonest first (the expiry job)
CREATE INDEX points_lots_due_idx ON points_lots (expires_at, id)
  WHERE remaining > 0 AND expires_at IS NOT NULL;
-- a user's open lots in grant order (spending oldest first; the wallet's upcoming expiries)
CREATE INDEX points_lots_open_idx ON points_lots (user_id, granted_at, id) WHERE remaining > 0;

-- Points held before this migration form one lot per user that never expires: nothing
-- is forfeited retroactively, and these points are spent first.
INSERT INTO points_lots (user_id, granted_transfer_id, amount, remaining, granted_at, expires_at)
SELECT a.owner_id::bigint, NULL, a.credits_posted - a.debits_posted,
       a.credits_posted - a.debits_posted, now(), NULL
  FROM ledger_accounts a
 WHERE a.owner_type = 'user' AND a.asset = 'points' AND a.credits_posted > a.debits_posted;
