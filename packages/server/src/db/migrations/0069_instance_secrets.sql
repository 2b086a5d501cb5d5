-- Secrets this installation makes for itself the first time it needs them (the sandbox
-- payment secret when FANLI_SANDBOX_SECRET is not set): one row per name, written once by
-- whichever process starts first and read by every other, so all processes on one
-- database agree. With embedded PGlite the database lives in FANLI_DATA_DIR, so the
-- secret is kept per data directory.
CREATE TABLE instance_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
