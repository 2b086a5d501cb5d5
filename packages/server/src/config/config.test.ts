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

  it('refuses the sandbox and demo mode in production unless allowed by name', () => {
    const real = { NODE_ENV: 'production', FANLI_PAYMENT_PROVIDERS: 'wechatpay' };
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /^FANLI_PAYMENT_PROVIDERS: .*FANLI_ALLOW_SANDBOX_IN_PRODUCTION=true/,
    );
    expect(() => loadConfig({ ...real, FANLI_PAYMENT_PROVIDERS: 'alipay, sandbox' })).toThrow(
      /^FANLI_PAYMENT_PROVIDERS:/,
    );
    expect(loadConfig(real).demo).toBe(false);
    expect(
      loadConfig({ NODE_ENV: 'production', FANLI_ALLOW_SANDBOX_IN_PRODUCTION: 'true' }).demo,
    ).toBe(false);
    expect(() => loadConfig({ ...real, FANLI_DEMO: 'true' })).toThrow(
      /^FANLI_DEMO: .*FANLI_ALLOW_DEMO_IN_PRODUCTION=true/,
    );
    expect(() => loadConfig(real, { demo: true })).toThrow(/^FANLI_DEMO:/);
    expect(
      loadConfig({ ...real, FANLI_DEMO: 'true', FANLI_ALLOW_DEMO_IN_PRODUCTION: 'true' }).demo,
    ).toBe(true);
    // outside production both run as before
    expect(loadConfig({ FANLI_DEMO: 'true' }).demo).toBe(true);
  });

  it('has no built-in sandbox secret: unset means the one the database keeps', () => {
    expect(loadConfig({}).sandboxSecret).toBe('');
    expect(loadConfig({ FANLI_SANDBOX_SECRET: 's'.repeat(32) }).sandboxSecret).toBe('s'.repeat(32));
    expect(() => loadConfig({ FANLI_SANDBOX_SECRET: 'short' })).toThrow(/^FANLI_SANDBOX_SECRET:/);
  });

  it('accepts a real time zone and fills safe defaults', () => {
    const c = loadConfig({ FANLI_TIMEZONE: 'Europe/Paris' });
    expect(c).toMatchObject({ port: 3000, databasePoolSize: 10, clock: 'system' });
    expect(c.databaseUrl).toBeUndefined();
  });
});
