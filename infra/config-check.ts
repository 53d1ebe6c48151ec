import type { z } from "zod";

/**
 * The checking of config values against key specs, apart from any one schema: unknown keys (with
 * a "did you mean"), missing keys, values that fail their zod schema, and objects field by field.
 * Every problem becomes one line naming the stack, the key, the bad value and what is allowed.
 */

export interface Leaf {
  readonly schema: z.ZodType;
  /** The allowed values, as the error message states them. */
  readonly allowed: string;
}

export interface KeySpec extends Leaf {
  /** What the key changes, in one sentence (the docs table says the same). */
  readonly description: string;
  /** For object-valued keys: the fields, each checked on its own. */
  readonly fields?: Readonly<Record<string, Leaf>>;
  readonly required: boolean;
  readonly secret?: boolean;
  /** The value's type, as the docs table names it. */
  readonly type: string;
}

/** Raised for every bad key at once, one line each. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** A value as the user typed it: numbers, booleans and objects bare, other text quoted, secrets hidden. */
export function show(value: unknown, secret: boolean): string {
  if (secret) return "[secret]";
  if (typeof value === "string") return /^(-?\d+(\.\d+)?|true|false|[{[].*)$/s.test(value.trim()) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** The closest known key, for "did you mean" on a typo. */
function closest(key: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0];
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j];
        row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length];
  };
  const best = known.map((k) => ({ k, d: distance(key, k) })).sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}

/** Checks every key of `namespace` in `raw` against `specs`; returns the parsed values and the problems. */
export function checkKeys(
  stack: string,
  namespace: string,
  raw: Readonly<Record<string, string>>,
  specs: Readonly<Record<string, KeySpec>>,
): { values: Record<string, unknown>; problems: string[] } {
  const problems: string[] = [];
  const where = `Stack "${stack}":`;
  const values: Record<string, unknown> = {};
  const known = Object.keys(specs);
  for (const fullKey of Object.keys(raw).sort()) {
    if (!fullKey.startsWith(`${namespace}:`)) continue;
    const key = fullKey.slice(namespace.length + 1);
    if (!(key in specs)) {
      const guess = closest(key, known);
      problems.push(
        `${where} ${fullKey} is not a known key (value ${show(raw[fullKey], false)}); allowed keys: ${known.map((k) => `${namespace}:${k}`).join(", ")}${guess ? `. Did you mean ${namespace}:${guess}?` : ""}`,
      );
    }
  }

  for (const [key, spec] of Object.entries(specs)) {
    const fullKey = `${namespace}:${key}`;
    const text = raw[fullKey];
    if (text === undefined) {
      if (spec.required) {
        problems.push(`${where} ${fullKey} is missing; allowed: ${spec.allowed} (set it with \`pulumi config set ${spec.secret ? "--secret " : ""}${fullKey} <value> -s ${stack}\`)`);
      }
      continue;
    }
    if (spec.fields) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
      if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        problems.push(`${where} ${fullKey} is ${show(text, false)}; allowed: ${spec.allowed}`);
        continue;
      }
      const object: Record<string, unknown> = {};
      for (const field of Object.keys(parsed)) {
        if (!(field in spec.fields)) {
          problems.push(`${where} ${fullKey}.${field} is not a known field (value ${show((parsed as Record<string, unknown>)[field], false)}); allowed fields: ${Object.keys(spec.fields).join(", ")}`);
        }
      }
      for (const [field, leaf] of Object.entries(spec.fields)) {
        const value = (parsed as Record<string, unknown>)[field];
        const result = leaf.schema.safeParse(value);
        if (value === undefined) problems.push(`${where} ${fullKey}.${field} is missing; allowed: ${leaf.allowed}`);
        else if (!result.success) problems.push(`${where} ${fullKey}.${field} is ${show(value, false)}; allowed: ${leaf.allowed}`);
        else object[field] = result.data;
      }
      values[key] = object;
      continue;
    }
    const result = spec.schema.safeParse(text);
    if (result.success) values[key] = result.data;
    else problems.push(`${where} ${fullKey} is ${show(text, spec.secret === true)}; allowed: ${spec.allowed}`);
  }
  return { values, problems };
}
