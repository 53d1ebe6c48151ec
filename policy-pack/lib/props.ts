/**
 * Narrowing helpers for the property bags the engine hands to policies. Props arrive as plain JSON
 * (camelCase Pulumi names, secrets unwrapped), typed `any` by @pulumi/policy; every policy reads them
 * through these helpers so that a missing or oddly-typed value is a finding, never a crash.
 */
import { isUnknownValueError } from "./engine-proxy";

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** IAM and ASL fields accept either one string or a list of strings. */
export function asStringList(value: unknown): string[] {
  if (typeof value === "string") return [value];
  return asArray(value).filter((v): v is string => typeof v === "string");
}

/** Renders a value for a message: `not set` for undefined, JSON otherwise. */
export function show(value: unknown): string {
  if (value === undefined) return "not set";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Parses a JSON document that may already be an object (policy documents are strings on the wire
 * when built with `jsonStringify`, objects when passed as `PolicyDocument`).
 */
export function parseDocument(value: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  if (typeof value !== "string") return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as unknown };
  } catch (err) {
    return { ok: false, error: `is not valid JSON (${(err as Error).message})` };
  }
}

/**
 * The engine wraps props in a proxy that throws `UnknownValueError` when a policy touches a value
 * that is only known after deployment (an ARN during the first preview). `known` lets a policy
 * look without tripping it, so it can fall back to another signal instead of skipping entirely.
 */
export type Knowable<T> = { known: true; value: T } | { known: false; reason: string };

export function known<T>(read: () => T): Knowable<T> {
  try {
    return { known: true, value: read() };
  } catch (err) {
    if (isUnknownValueError(err)) return { known: false, reason: err.message };
    throw err;
  }
}
