import { createHash } from "node:crypto";

/** JSON with every object's keys sorted, so two documents compare by content, not key order or spacing. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Short sha256 of the canonical form, to show two documents side by side in a table. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex").slice(0, 12);
}

export interface Difference {
  /** Dotted path to the first differing value: `States.Load.TimeoutSeconds`, `States.Load.Retry[0]`. */
  readonly path: string;
  readonly expected: string;
  readonly actual: string;
}

const show = (value: unknown): string => (value === undefined ? "(absent)" : JSON.stringify(value).slice(0, 80));

/** The first place where two JSON values differ (keys in sorted order), or `undefined` when equal. */
export function firstDifference(expected: unknown, actual: unknown, path = ""): Difference | undefined {
  if (canonicalJson(expected) === canonicalJson(actual)) return undefined;
  const here = (): Difference => ({ path: path || "(root)", expected: show(expected), actual: show(actual) });
  if (Array.isArray(expected) && Array.isArray(actual)) {
    for (let i = 0; i < Math.max(expected.length, actual.length); i++) {
      const diff = firstDifference(expected[i], actual[i], `${path}[${i}]`);
      if (diff) return diff;
    }
    return here();
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isObject(expected) && isObject(actual)) {
    for (const key of [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort()) {
      const diff = firstDifference(expected[key], actual[key], path ? `${path}.${key}` : key);
      if (diff) return diff;
    }
  }
  return here();
}
