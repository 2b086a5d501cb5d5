import type { AppDeps } from '../http/deps.ts';
import {
  SandboxProvider,
  createPaymentProvider,
  paymentConfigFromEnv,
  type PaymentProvider,
} from '../payments/index.ts';
import { commerceConfig } from '../orders/config.ts';

/**
 * The payment providers of one running app. Built once per app from the environment
 * (`FANLI_PAYMENT_PROVIDERS`, see docs/payments.md; sandbox by default) and shared by the
 * routes and the job handlers, so the sandbox's in-memory trades are the same everywhere.
 */
export interface PaymentRegistry {
  providers: Map<string, PaymentProvider>;
  /** the provider new payments use */
  defaultName: string;
  get(name: string): PaymentProvider | undefined;
}

const registries = new WeakMap<AppDeps, PaymentRegistry>();

function build(deps: AppDeps): PaymentRegistry {
  const providers = new Map<string, PaymentProvider>();
  const env = paymentConfigFromEnv(process.env);
  if (!env.ok) throw new Error(env.error);
  for (const config of env.configs) {
    if (config.provider === 'sandbox') {
      if (!deps.config.sandboxSecret) throw new Error('the sandbox secret was not resolved');
      // The sandbox signs and verifies with the app's clock, so moving a test clock
      // never makes its own notifications stale.
      providers.set(
        'sandbox',
        new SandboxProvider({
          secret: deps.config.sandboxSecret,
          now: () => deps.clock.now().getTime(),
        }),
      );
    } else {
      providers.set(config.provider, createPaymentProvider(config));
    }
  }
  const wanted = commerceConfig(deps).paymentProvider;
  if (wanted && !providers.has(wanted)) {
    throw new Error(`FANLI_PAYMENT_PROVIDER: "${wanted}" is not in FANLI_PAYMENT_PROVIDERS`);
  }
  const defaultName = wanted ?? [...providers.keys()][0]!;
  return { providers, defaultName, get: (name) => providers.get(name) };
}

export function paymentsFor(deps: AppDeps): PaymentRegistry {
  let r = registries.get(deps);
  if (!r) {
    r = build(deps);
    registries.set(deps, r);
  }
  return r;
}

/** Tests: put a provider in place (e.g. one that fails) under a name. */
export function installProvider(deps: AppDeps, name: string, provider: PaymentProvider): void {
  paymentsFor(deps).providers.set(name, provider);
}

/** The sandbox provider of this app, if enabled (its pay page is mounted when it is). */
export function sandboxOf(deps: AppDeps): SandboxProvider | undefined {
  const p = paymentsFor(deps).get('sandbox');
  return p instanceof SandboxProvider ? p : undefined;
}
