/**
 * @fanli/engine — pure rules: money math, the double-entry ledger model, settings,
 * referral, commission, queue rebate, cashback/points, and the scenario simulator.
 * No database, HTTP, clock or randomness inside: time and a seeded RNG are passed in.
 */
export {
  pctOfFen,
  pctHOfFen,
  pctToHundredths,
  prorateFen,
  toScaled,
  unitsPerYuanOfFen,
} from './money/money.ts';

export type {
  Account,
  AccountKey,
  ApplyResult,
  Asset,
  EntryCreateOp,
  EntryStatus,
  EntryUpdateOp,
  LedgerError,
  LedgerErrorCode,
  LedgerOp,
  OwnerType,
  Plan,
  PlanOp,
  PostPendingOp,
  QueueOp,
  ReasonCode,
  SourceRef,
  Transfer,
  TransferOp,
  VoidPendingOp,
} from './ledger/types.ts';
export {
  accountId,
  applyLedgerOps,
  balanceOf,
  createLedger,
  verifyLedger,
  type Ledger,
} from './ledger/ledger.ts';
export {
  MERCHANT,
  USER,
  planRewardGrants,
  planRewardPost,
  planRewardVoid,
  rewardIsSettled,
  type RewardGrant,
} from './ledger/rewards.ts';
export { windowEndsAtMs } from './after-sale/window.ts';

export type * from './settings/types.ts';
export { defaultSettings, settingPartDefaults } from './settings/defaults.ts';
export { formatErrors, validateSettings } from './settings/validate.ts';
export {
  SETTING_ERROR_CODES,
  SETTING_ERROR_MESSAGES,
  fieldError,
  settingErrorMessage,
  settingErrorVars,
  type SettingErrorCode,
  type SettingErrorLang,
  type SettingErrorParams,
} from './settings/errors.ts';

export {
  firstQualifyingOwnOrder,
  onFriendOrderSettled,
  orderQualifies,
  type FriendOrder,
  type OwnOrder,
  type ReferralBudget,
  type ReferrerProgress,
} from './referral/referral.ts';
export { commissionGrants, type CommissionInput } from './commission/commission.ts';
export { cashbackGrants } from './cashback/cashback.ts';
export {
  growthOfOrder,
  levelBenefits,
  levelForGrowth,
  memberDiscountFen,
  memberStatus,
  multiplyPoints,
  raisedLevel,
  type MemberBenefits,
  type MemberStatus,
} from './members/members.ts';
export { consumeOldestFirst, lotExpiry, type PointsLot } from './cashback/points-lots.ts';
export {
  priceOrder,
  shareOfUnits,
  type PriceLineInput,
  type PricedLine,
  type PricedOrder,
  type PricingInput,
} from './pricing/pricing.ts';

export {
  buildChain,
  drawLotteryPctH,
  inHours,
  lotteryOf,
  pick,
  resolveEntitlementPctH,
  type EntitlementContext,
  type PctSource,
  type QueueChain,
} from './queue-rebate/entitlement.ts';
export {
  MERCHANT_CASH,
  allocateContribution,
  planPayoutVoids,
  planQueueContribution,
  poolCash,
  userAccount,
  type Allocation,
  type Candidate,
  type ContributionInput,
  type PayoutToVoid,
  type QueuePayout,
} from './queue-rebate/plan.ts';
export {
  applyEntryUpdate,
  candidates,
  createQueueBook,
  joinQueue,
  markCompleted,
  type BookEntry,
  type QueueBook,
} from './queue-rebate/book.ts';
export { planClearing, type ClearingEntry } from './queue-rebate/clearing.ts';

export {
  entitlementAfterDraw,
  planOrderQueues,
  queueIdFor,
  randomReturnSlots,
  spendTierDays,
  type EntryDraft,
  type EntryUnit,
  type OrderForQueues,
  type QueueGroup,
} from './queue-rebate/order-queues.ts';

export { createRng, type Rng } from './time/rng.ts';
export { localDayKey, localParts, nextBoundary, parseInstant, zonedTimeToMs } from './time/zone.ts';

export {
  parseScenario,
  type Scenario,
  type ScenarioEvent,
  type ScenarioFieldError,
} from './simulate/scenario.ts';
export { simulate, type SimulateOutcome, type SimulationResult } from './simulate/run.ts';
