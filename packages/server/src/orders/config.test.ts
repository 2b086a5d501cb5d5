import { describe, expect, it } from 'vitest';
import { commerceConfigFromEnv } from './config.ts';

describe('commerce settings from the environment', () => {
  it('refuses the former FANLI_POINTS_PER_YUAN: a point is worth what the rules say', () => {
    expect(() => commerceConfigFromEnv({ FANLI_POINTS_PER_YUAN: '100' })).toThrow(
      /FANLI_POINTS_PER_YUAN is no longer read.*points\.fenPerPoint/,
    );
    expect(commerceConfigFromEnv({}).points).toEqual({ enabled: true, maxSharePct: 50 });
  });
});
