/** Tables of the commerce capability: cart, addresses, orders, payments, after-sale, withdrawals. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CommerceTables {}
