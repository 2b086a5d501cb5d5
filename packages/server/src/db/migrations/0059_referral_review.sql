-- Anti-abuse: a referral reward whose referrer and friend look like one person (a shared
-- shipping phone or address, or the same sign-up device) is born pending and held for a
-- person to review; it is never posted automatically while held_reason is set.
ALTER TABLE rewards ADD COLUMN held_reason text;
CREATE INDEX rewards_held_idx ON rewards (id) WHERE held_reason IS NOT NULL AND state = 'pending';
