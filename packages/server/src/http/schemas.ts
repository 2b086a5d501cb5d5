import { Type, type TSchema } from '@sinclair/typebox';

/** Shared pieces of route schemas. */
export const Phone = Type.String({
  pattern: '^1[3-9][0-9]{9}$',
  description: 'mainland China mobile number',
});
export const OtpCode = Type.String({ pattern: '^[0-9]{6}$' });
export const Password = Type.String({ minLength: 1, maxLength: 128 });
export const IdParam = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 9_007_199_254_740_991 }),
});

export const ErrorResponse = Type.Object(
  { code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) },
  { $id: 'ErrorResponse' },
);

export const Page = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
});

export const Paged = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description: 'required: 8-128 characters; a retry with the same key replays the first answer',
    }),
  ),
});
