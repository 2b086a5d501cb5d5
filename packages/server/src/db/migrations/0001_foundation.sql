-- Foundation: stores, users, sessions, one-time codes, rate limits, audit log,
-- idempotency keys, the double-entry ledger and durable jobs.

-- Refuses any UPDATE or DELETE: used on append-only tables (ledger transfers, audit log).
CREATE FUNCTION fanli_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END;
$$;

CREATE TABLE stores (
  id          bigserial PRIMARY KEY,
  name        text NOT NULL,
  address     text NOT NULL DEFAULT '',
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id                   bigserial PRIMARY KEY,
  -- NULL once the account is deleted (personal data anonymised, trade records kept)
  phone                text UNIQUE,
  password_hash        text,
  role                 text NOT NULL CHECK (role IN ('shopper', 'cashier', 'staff', 'admin')),
  store_id             bigint REFERENCES stores(id),
  nickname             text NOT NULL DEFAULT '',
  status               text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'deleted')),
  referral_code        text NOT NULL UNIQUE,
  referrer_id          bigint REFERENCES users(id),
  referred_at          timestamptz,
  failed_logins        integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  privacy_version      text,
  privacy_consented_at timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (referrer_id IS NULL OR referrer_id <> id),
  CHECK (role <> 'cashier' OR store_id IS NOT NULL)
);
CREATE INDEX users_referrer_idx ON users (referrer_id);

CREATE TABLE consents (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users(id),
  document    text NOT NULL,
  version     text NOT NULL,
  accepted_at timestamptz NOT NULL,
  ip          text
);
CREATE INDEX consents_user_idx ON consents (user_id);

CREATE TABLE sessions (
  id          bigserial PRIMARY KEY,
  -- SHA-256 of the token: a database leak does not leak usable sessions
  token_hash  text NOT NULL UNIQUE,
  csrf_token  text NOT NULL,
  user_id     bigint NOT NULL REFERENCES users(id),
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  user_agent  text
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE otp_codes (
  id           bigserial PRIMARY KEY,
  phone        text NOT NULL,
  purpose      text NOT NULL CHECK (purpose IN ('register', 'login')),
  code_hash    text NOT NULL,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  consumed_at  timestamptz,
  attempts     integer NOT NULL DEFAULT 0
);
CREATE INDEX otp_codes_phone_idx ON otp_codes (phone, purpose, created_at DESC);

-- Fixed-window counters shared by every server process.
CREATE TABLE rate_limits (
  bucket        text NOT NULL,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  actor_id     bigint REFERENCES users(id),
  actor_role   text NOT NULL,
  action       text NOT NULL,
  object_type  text NOT NULL,
  object_id    text,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip           text,
  created_at   timestamptz NOT NULL
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION fanli_refuse_change();

-- Idempotency-Key records: written in the same transaction as the use-case they guard.
CREATE TABLE idempotency_keys (
  scope         text NOT NULL,
  key           text NOT NULL,
  request_hash  text NOT NULL,
  status_code   integer,
  response      jsonb,
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);

-- Ledger: TigerBeetle-style accounts with posted and pending totals per side.
CREATE TABLE ledger_accounts (
  id               bigserial PRIMARY KEY,
  owner_type       text NOT NULL,
  owner_id         text NOT NULL,
  asset            text NOT NULL,
  -- a user's account may never spend more than it holds; system accounts may go below zero
  no_overdraft     boolean NOT NULL,
  debits_posted    bigint NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
  credits_posted   bigint NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
  debits_pending   bigint NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
  credits_pending  bigint NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (owner_type, owner_id, asset),
  CHECK (NOT no_overdraft OR credits_posted - debits_posted - debits_pending >= 0)
);

CREATE TABLE ledger_transfers (
  id                 bigserial PRIMARY KEY,
  -- 'posted': final at once; 'pending': reserved, later resolved exactly once by a
  -- 'post_pending' or 'void_pending' row that names it in pending_id
  kind               text NOT NULL CHECK (kind IN ('posted', 'pending', 'post_pending', 'void_pending')),
  pending_id         bigint UNIQUE REFERENCES ledger_transfers(id),
  debit_account_id   bigint NOT NULL REFERENCES ledger_accounts(id),
  credit_account_id  bigint NOT NULL REFERENCES ledger_accounts(id),
  asset              text NOT NULL,
  amount             bigint NOT NULL CHECK (amount > 0),
  reason             text NOT NULL,
  source_type        text,
  source_id          text,
  idempotency_key    text UNIQUE,
  memo               jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at         timestamptz NOT NULL,
  CHECK (debit_account_id <> credit_account_id),
  CHECK ((kind IN ('post_pending', 'void_pending')) = (pending_id IS NOT NULL))
);
CREATE INDEX ledger_transfers_debit_idx ON ledger_transfers (debit_account_id, id);
CREATE INDEX ledger_transfers_credit_idx ON ledger_transfers (credit_account_id, id);
CREATE INDEX ledger_transfers_source_idx ON ledger_transfers (source_type, source_id);
CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE ON ledger_transfers
  FOR EACH ROW EXECUTE FUNCTION fanli_refuse_change();

-- Durable jobs: claimed with FOR UPDATE SKIP LOCKED; the handler's writes and the job's
-- completion commit in one transaction, so a job's effect happens exactly once.
CREATE TABLE jobs (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL,
  payload       jsonb NOT NULL DEFAULT '{}'::jsonb,
  run_at        timestamptz NOT NULL,
  status        text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'done', 'dead')),
  attempts      integer NOT NULL DEFAULT 0,
  max_attempts  integer NOT NULL DEFAULT 10,
  unique_key    text UNIQUE,
  last_error    text,
  created_at    timestamptz NOT NULL,
  finished_at   timestamptz
);
CREATE INDEX jobs_due_idx ON jobs (run_at, id) WHERE status = 'queued';
