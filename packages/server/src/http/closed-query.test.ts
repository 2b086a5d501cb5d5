import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { closedQuerystring } from './closed-query.ts';
import { Page } from './schemas.ts';

describe('closedQuerystring', () => {
  it('flattens an intersection into one closed object', () => {
    const closed = closedQuerystring(
      Type.Intersect([Page, Type.Object({ state: Type.Optional(Type.String()) })]),
      'GET /x',
    );
    expect(Object.keys(closed.properties)).toEqual(['page', 'pageSize', 'state']);
    expect(closed.required).toEqual(['page', 'pageSize']);
    expect(closed.additionalProperties).toBe(false);
  });

  it('gives a route without a query schema the empty closed one', () => {
    expect(closedQuerystring(undefined, 'GET /x')).toEqual({
      type: 'object',
      properties: {},
      additionalProperties: false,
    });
  });

  it('is the same when applied twice (HEAD routes reuse the GET schema)', () => {
    const once = closedQuerystring(Page, 'GET /x');
    expect(closedQuerystring(once, 'HEAD /x')).toEqual(once);
  });

  it('refuses at start-up what it cannot close', () => {
    const open = Type.Object({ q: Type.String() }, { additionalProperties: true });
    expect(() => closedQuerystring(open, 'GET /x')).toThrow(/GET \/x: a query string must be/);
    expect(() => closedQuerystring(Type.Union([Page, open]), 'GET /x')).toThrow(/GET \/x/);
    expect(() => closedQuerystring(Type.Intersect([Page, Page]), 'GET /x')).toThrow(
      /page is declared twice/,
    );
  });
});
