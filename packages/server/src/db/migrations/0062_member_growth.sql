-- Members (会员, SPEC §5; docs/models/members.md): growth value (成长值) earned when an
-- order settles, which raises users.member_level automatically; and the level an order
-- was placed with, whose benefits (discount, points multiplier, queue pct) it keeps.
ALTER TABLE users ADD COLUMN growth bigint NOT NULL DEFAULT 0 CHECK (growth >= 0);
ALTER TABLE orders ADD COLUMN member_level text;
-- orders awaiting payment were judged by their buyer's level at payment until now
UPDATE orders SET member_level = users.member_level
  FROM users
  WHERE users.id = orders.user_id AND orders.state = 'pending_payment';
