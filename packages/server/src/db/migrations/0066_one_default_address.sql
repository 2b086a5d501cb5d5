-- At most one default shipping address per user, kept by the database itself: two
-- requests setting a default at once can no longer leave two. Where earlier races left
-- several, the newest stays the default.
UPDATE addresses a SET is_default = false
 WHERE a.is_default
   AND EXISTS (SELECT 1 FROM addresses b
                WHERE b.user_id = a.user_id AND b.is_default AND b.id > a.id);
CREATE UNIQUE INDEX addresses_one_default_per_user ON addresses (user_id) WHERE is_default;
