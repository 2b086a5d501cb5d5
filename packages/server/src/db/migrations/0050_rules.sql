-- Reward rules (the settings document of the rule engine), versioned. The version in
-- force at a moment is the latest whose effective_at has passed; a version with a future
-- effective_at is an announced change. An order is judged by the version in force when
-- it was placed.
CREATE TABLE rule_versions (
  id            bigserial PRIMARY KEY,
  settings      jsonb NOT NULL,
  effective_at  timestamptz NOT NULL,
  note          text NOT NULL DEFAULT '',
  created_by    bigint REFERENCES users(id),
  created_at    timestamptz NOT NULL
);
CREATE INDEX rule_versions_effective_idx ON rule_versions (effective_at DESC, id DESC);
CREATE TRIGGER rule_versions_append_only BEFORE UPDATE OR DELETE ON rule_versions
  FOR EACH ROW EXECUTE FUNCTION fanli_refuse_change();
