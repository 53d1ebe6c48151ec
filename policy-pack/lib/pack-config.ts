/**
 * The policy pack config file (`pulumi preview --policy-pack-config <file>`) and how the CLI
 * reconciles it with the pack, reproduced so the offline preview enforces exactly what a real
 * preview would:
 * 1. each policy starts at its own enforcement level (else the pack's) and its schema defaults;
 * 2. `"all"` sets the level of every policy;
 * 3. an entry per policy sets its level and/or overrides its properties;
 * 4. the result is validated against each policy's `configSchema`.
 * The CLI ignores entries for policies the pack lacks; this reader rejects them, since a misspelt
 * name would otherwise leave a policy at its default level without anyone noticing.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { validatePolicyConfig } from "./config-schema";
import { isRecord, show } from "./props";

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface PolicyConfigEntry {
  readonly enforcementLevel?: EnforcementLevel;
  readonly properties: Record<string, unknown>;
}

/** A parsed config file: policy name (or `all`) -> its entry. */
export type PackConfig = ReadonlyMap<string, PolicyConfigEntry>;

export interface ResolvedPolicyConfig {
  readonly enforcementLevel: EnforcementLevel;
  readonly properties: Readonly<Record<string, unknown>>;
}

export class PackConfigError extends Error {
  constructor(message: string, readonly problems: readonly string[]) {
    super(`${message}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "PackConfigError";
  }
}

function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** Parses the JSON text of a config file; `source` names the file in errors. */
export function parsePackConfig(text: string, source: string): PackConfig {
  if (text.trim() === "") return new Map();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new PackConfigError(`${source} is not valid JSON`, [(err as Error).message]);
  }
  if (!isRecord(raw)) throw new PackConfigError(`${source} is not a JSON object`, ["write {\"all\": \"advisory\", \"<policy-name>\": \"mandatory\" | {...}}"]);
  const problems: string[] = [];
  const config = new Map<string, PolicyConfigEntry>();
  const levels = ENFORCEMENT_LEVELS.map((l) => `"${l}"`).join(", ");
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === "string") {
      if (isEnforcementLevel(value)) config.set(name, { enforcementLevel: value, properties: {} });
      else problems.push(`"${name}": ${show(value)} is not an enforcement level; use one of ${levels}`);
    } else if (isRecord(value)) {
      const { enforcementLevel, ...properties } = value;
      if (enforcementLevel !== undefined && !isEnforcementLevel(enforcementLevel)) {
        problems.push(`"${name}".enforcementLevel is ${show(enforcementLevel)}; use one of ${levels}`);
        continue;
      }
      config.set(name, { enforcementLevel, properties });
    } else {
      problems.push(`"${name}": ${show(value)} must be an enforcement level string or an object`);
    }
  }
  if (problems.length > 0) throw new PackConfigError(`${source} is invalid`, problems);
  return config;
}

/**
 * Resolves every policy's enforcement level and properties. Throws `PackConfigError` listing every
 * problem: unknown policy names and properties that fail a policy's schema.
 */
export function reconcilePackConfig(
  policies: Policies,
  config: PackConfig = new Map(),
  packLevel: EnforcementLevel = "advisory",
  source = "policy pack config",
): Map<string, ResolvedPolicyConfig> {
  const result = new Map<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>();
  for (const policy of policies) {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if (typeof schema === "object" && schema.default !== undefined) defaults[key] = structuredClone(schema.default);
    }
    result.set(policy.name, { enforcementLevel: policy.enforcementLevel ?? packLevel, properties: defaults });
  }
  const problems: string[] = [];
  const all = config.get("all");
  if (all?.enforcementLevel) for (const entry of result.values()) entry.enforcementLevel = all.enforcementLevel;
  if (all && Object.keys(all.properties).length > 0) problems.push(`"all" may only set enforcementLevel`);
  for (const [name, given] of config) {
    if (name === "all") continue;
    const entry = result.get(name);
    if (!entry) {
      problems.push(`"${name}" is not a policy of this pack; known: ${[...result.keys()].sort().join(", ")}`);
      continue;
    }
    if (given.enforcementLevel) entry.enforcementLevel = given.enforcementLevel;
    Object.assign(entry.properties, structuredClone(given.properties));
  }
  for (const policy of policies) {
    const entry = result.get(policy.name)!;
    if (policy.configSchema) {
      problems.push(...validatePolicyConfig(policy.configSchema, entry.properties).map((p) => `"${policy.name}": ${p}`));
    } else if (Object.keys(entry.properties).length > 0) {
      problems.push(`"${policy.name}" has no settings; remove ${Object.keys(entry.properties).join(", ")}`);
    }
  }
  if (problems.length > 0) throw new PackConfigError(`${source} does not fit the pack`, problems);
  return result;
}
