-- Rewards and queue rebate state, written by the rule engine's plans in the same
-- transaction as the order event that caused them.

-- Order of payment across all queues: an entry is paid only by orders paid after it.
CREATE SEQUENCE queue_pay_seq;

-- The rule engine's view of an order: its pay sequence and whether its after-sale
-- window has passed (a reward is available only when all its orders have settled).
CREATE TABLE order_rule_state (
  order_id     bigint PRIMARY KEY REFERENCES orders(id),
  pay_seq      bigint NOT NULL,
  settled      boolean NOT NULL DEFAULT false,
  refunded     boolean NOT NULL DEFAULT false
);

-- Every reward granted: a pending ledger transfer until every order it depends on has
-- settled (then posted: available) or one of them is refunded inside its window (voided).
CREATE TABLE rewards (
  id              bigserial PRIMARY KEY,
  -- the engine's deterministic id; also the idempotency key of the pending transfer
  key             text NOT NULL UNIQUE,
  kind            text NOT NULL CHECK (kind IN ('commission', 'cashback', 'referral', 'queue', 'conversion')),
  user_id         bigint NOT NULL REFERENCES users(id),
  asset           text NOT NULL CHECK (asset IN ('cash', 'points', 'voucher')),
  amount          bigint NOT NULL CHECK (amount > 0),
  reason          text NOT NULL,
  transfer_id     bigint NOT NULL REFERENCES ledger_transfers(id),
  state           text NOT NULL CHECK (state IN ('pending', 'available', 'cancelled')),
  -- the order whose money funds it (a queue contributor, a commission's order)
  source_order_id bigint REFERENCES orders(id),
  -- queue payouts: the entry paid and its queue
  entry_id        bigint,
  queue_id        text,
  created_at      timestamptz NOT NULL,
  resolved_at     timestamptz
);
CREATE INDEX rewards_user_idx ON rewards (user_id, id DESC);
CREATE INDEX rewards_pending_idx ON rewards (state) WHERE state = 'pending';

CREATE TABLE reward_deps (
  reward_id  bigint NOT NULL REFERENCES rewards(id),
  order_id   bigint NOT NULL REFERENCES orders(id),
  PRIMARY KEY (reward_id, order_id)
);
CREATE INDEX reward_deps_order_idx ON reward_deps (order_id);

CREATE TABLE queue_entries (
  id               bigserial PRIMARY KEY,
  queue_id         text NOT NULL,
  seq              bigint NOT NULL,
  order_id         bigint NOT NULL REFERENCES orders(id),
  user_id          bigint NOT NULL REFERENCES users(id),
  entitlement_fen  bigint NOT NULL CHECK (entitlement_fen > 0),
  received_fen     bigint NOT NULL DEFAULT 0,
  status           text NOT NULL CHECK (status IN ('waiting', 'done', 'cancelled', 'exchanged', 'cleared', 'converted')),
  own_completed    boolean NOT NULL DEFAULT false,
  -- local day of placement and whether the entry counts against per-person limits
  day_key          text NOT NULL,
  limit_day        boolean NOT NULL DEFAULT false,
  limit_total      boolean NOT NULL DEFAULT false,
  -- the units behind the entitlement, for the lottery
  units            jsonb NOT NULL,
  lottery_drawn    boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL,
  CHECK (received_fen >= 0 AND received_fen <= entitlement_fen)
);
-- the head of a queue is found without reading past it: work per order is independent
-- of queue length
CREATE INDEX queue_entries_fifo_idx ON queue_entries (queue_id, seq, id) WHERE status = 'waiting';
CREATE INDEX queue_entries_completed_first_idx ON queue_entries (queue_id, own_completed DESC, seq, id) WHERE status = 'waiting';
CREATE INDEX queue_entries_order_idx ON queue_entries (order_id);
CREATE INDEX queue_entries_user_idx ON queue_entries (user_id, id DESC);

-- settleOn = completed: an order's contributions wait for its completion
CREATE TABLE queue_contributions (
  order_id         bigint NOT NULL REFERENCES orders(id),
  contribution_id  text NOT NULL,
  queue_id         text NOT NULL,
  amount_fen       bigint NOT NULL,
  seq              bigint NOT NULL,
  status           text NOT NULL CHECK (status IN ('waiting', 'done', 'cancelled')),
  PRIMARY KEY (order_id, contribution_id)
);

-- random return (随机返): the group being filled in each queue
CREATE TABLE queue_random_groups (
  queue_id      text PRIMARY KEY,
  pos           integer NOT NULL,
  points_slots  integer[] NOT NULL
);

-- referral (推 N 返 M): each referrer's progress and the merchant's budget used
CREATE TABLE referral_progress (
  referrer_id  bigint PRIMARY KEY REFERENCES users(id),
  progress     jsonb NOT NULL
);
CREATE TABLE referral_budget (
  id         integer PRIMARY KEY CHECK (id = 1),
  spent_fen  bigint NOT NULL
);
INSERT INTO referral_budget (id, spent_fen) VALUES (1, 0);
