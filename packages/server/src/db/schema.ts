import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { CatalogExtTables } from './schema-catalog-ext.ts';
import type { CommerceTables } from './schema-commerce.ts';
import type { PointsTables } from './schema-points.ts';
import type { RulesTables } from './schema-rules.ts';

/** Kysely's view of the tables created by ./migrations (keep both in step). */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type Json<T = unknown> = ColumnType<T, string | T, string | T>;
export type Id = Generated<number>;

export interface StoresTable {
  id: Id;
  name: string;
  address: Generated<string>;
  status: Generated<'active' | 'closed'>;
  created_at: Generated<Date>;
  /** who brought the store (0053) */
  recruiter_id: Generated<number | null>;
  /** the platform's commission on the store's orders, hundredths of a percent */
  platform_commission_pct_h: Generated<number>;
}

export type Role = 'shopper' | 'cashier' | 'staff' | 'admin';

export interface UsersTable {
  id: Id;
  phone: string | null;
  password_hash: string | null;
  role: Role;
  store_id: number | null;
  nickname: Generated<string>;
  status: Generated<'active' | 'disabled' | 'deleted'>;
  referral_code: string;
  referrer_id: number | null;
  referred_at: Timestamp | null;
  failed_logins: Generated<number>;
  locked_until: Timestamp | null;
  privacy_version: string | null;
  privacy_consented_at: Timestamp | null;
  created_at: Generated<Date>;
  /** member level (0060): picks the member-level pct of the queue rebate chain */
  member_level: Generated<string | null>;
  /** growth value (0062): earned by settled orders, raises member_level (rules/members.ts) */
  growth: Generated<number>;
}

export interface ConsentsTable {
  id: Id;
  user_id: number;
  document: string;
  version: string;
  accepted_at: Timestamp;
  ip: string | null;
}

export interface SessionsTable {
  id: Id;
  token_hash: string;
  csrf_token: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  user_agent: string | null;
}

export interface OtpCodesTable {
  id: Id;
  phone: string;
  purpose: 'register' | 'login';
  code_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
  attempts: Generated<number>;
}

export interface RateLimitsTable {
  bucket: string;
  window_start: Timestamp;
  hits: number;
}

export interface AuditLogTable {
  id: Id;
  actor_id: number | null;
  actor_role: string;
  action: string;
  object_type: string;
  object_id: string | null;
  detail: Json<Record<string, unknown>>;
  ip: string | null;
  created_at: Timestamp;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json | null;
  created_at: Timestamp;
}

export interface LedgerAccountsTable {
  id: Id;
  owner_type: string;
  owner_id: string;
  asset: string;
  no_overdraft: boolean;
  debits_posted: Generated<number>;
  credits_posted: Generated<number>;
  debits_pending: Generated<number>;
  credits_pending: Generated<number>;
  created_at: Generated<Date>;
}

export type TransferKind = 'posted' | 'pending' | 'post_pending' | 'void_pending';

export interface LedgerTransfersTable {
  id: Id;
  kind: TransferKind;
  pending_id: number | null;
  debit_account_id: number;
  credit_account_id: number;
  asset: string;
  amount: number;
  reason: string;
  source_type: string | null;
  source_id: string | null;
  idempotency_key: string | null;
  memo: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface JobsTable {
  id: Id;
  kind: string;
  payload: Json<Record<string, unknown>>;
  run_at: Timestamp;
  status: Generated<'queued' | 'done' | 'dead'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  unique_key: string | null;
  last_error: string | null;
  created_at: Timestamp;
  finished_at: Timestamp | null;
}

export interface CategoriesTable {
  id: Id;
  parent_id: number | null;
  name: string;
  sort: Generated<number>;
  created_at: Generated<Date>;
}

export interface ProductsTable {
  id: Id;
  category_id: number | null;
  store_id: number | null;
  title: string;
  subtitle: Generated<string>;
  description_html: Generated<string>;
  images: Json<string[]>;
  on_shelf: Generated<boolean>;
  supplier: string | null;
  price_fen: number;
  sales: Generated<number>;
  created_at: Generated<Date>;
}

export interface SkusTable {
  id: Id;
  product_id: number;
  spec: Json<Record<string, string>>;
  price_fen: number;
  cost_fen: number | null;
  stock: number;
  created_at: Generated<Date>;
}

export interface InstanceSecretsTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

/** Each capability declares its own tables in its own file; DB is their union. */
export interface DB extends CatalogExtTables, CommerceTables, RulesTables, PointsTables {
  stores: StoresTable;
  users: UsersTable;
  consents: ConsentsTable;
  sessions: SessionsTable;
  otp_codes: OtpCodesTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  ledger_accounts: LedgerAccountsTable;
  ledger_transfers: LedgerTransfersTable;
  jobs: JobsTable;
  categories: CategoriesTable;
  products: ProductsTable;
  skus: SkusTable;
  schema_migrations: SchemaMigrationsTable;
  instance_secrets: InstanceSecretsTable;
}

export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type LedgerAccount = Selectable<LedgerAccountsTable>;
export type LedgerTransfer = Selectable<LedgerTransfersTable>;
export type Job = Selectable<JobsTable>;
