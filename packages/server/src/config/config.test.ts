import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('stops at start with the variable named when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/^PORT: must be an integer/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/^DATABASE_URL:/);
    expect(() => loadConfig({ FANLI_TIMEZONE: 'Asia/Shangai' })).toThrow(
      /^FANLI_TIMEZONE: must be an IANA time zone/,
    );
    expect(() => loadConfig({ FANLI_CLOCK: 'test', NODE_ENV: 'production' })).toThrow(
      /^FANLI_CLOCK:/,
    );
  });

  it('accepts a real time zone and fills safe defaults', () => {
    const c = loadConfig({ FANLI_TIMEZONE: 'Europe/Paris' });
    expect(c).toMatchObject({ port: 3000, databasePoolSize: 10, clock: 'system' });
    expect(c.databaseUrl).toBeUndefined();
  });
});
