-- The audit log stays append-only, with one exception: a person's IP address may be
-- cleared (set to NULL) when they delete their account. Every other change, and any
-- delete, is still refused.
CREATE FUNCTION fanli_audit_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.ip IS NULL
     AND (NEW.id, NEW.actor_id, NEW.actor_role, NEW.action, NEW.object_type, NEW.object_id,
          NEW.detail, NEW.created_at)
         IS NOT DISTINCT FROM
         (OLD.id, OLD.actor_id, OLD.actor_role, OLD.action, OLD.object_type, OLD.object_id,
          OLD.detail, OLD.created_at) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END;
$$;
DROP TRIGGER audit_log_append_only ON audit_log;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION fanli_audit_log_guard();
