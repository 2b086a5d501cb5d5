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

  it('reads FANLI_TRUST_PROXY as one hop, N hops or proxy addresses, and refuses anything else', () => {
    const trust = (value?: string) => loadConfig({ FANLI_TRUST_PROXY: value }).trustProxy;
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, 192.168.1.5,::1')).toEqual(['10.0.0.0/8', '192.168.1.5', '::1']);
    for (const bad of ['all', '10.0.0.0/33', '10.0.0.300', '11', 'proxy.example.com'])
      expect(() => trust(bad), bad).toThrow(/^FANLI_TRUST_PROXY:/);
  });

  it('accepts a real time zone and fills safe defaults', () => {
    const c = loadConfig({ FANLI_TIMEZONE: 'Europe/Paris' });
    expect(c).toMatchObject({ port: 3000, databasePoolSize: 10, clock: 'system' });
    expect(c.databaseUrl).toBeUndefined();
  });
});
