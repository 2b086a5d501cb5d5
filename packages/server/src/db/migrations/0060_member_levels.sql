-- Member levels (会员等级): the level a buyer has when an order is placed picks the
-- member-level entitlement pct of the queue rebate chain (SPEC §4, seed 002 第六部分).
ALTER TABLE users ADD COLUMN member_level text;
