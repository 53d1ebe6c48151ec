/**
 * A policy's settings: what the engine configured, over the defaults of its `configSchema`. The
 * Pulumi CLI sends every policy its reconciled config (defaults included), but an engine that sends
 * none must not leave a policy comparing against `undefined`, so the defaults are applied here too.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";

export function settingsOf<T extends object>(policy: { readonly configSchema?: PolicyConfigSchema }, args: { getConfig<U extends object>(): U }): T {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (typeof schema === "object" && schema.default !== undefined) defaults[key] = schema.default;
  }
  return { ...defaults, ...args.getConfig<Record<string, unknown>>() } as T;
}
