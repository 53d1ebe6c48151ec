/**
 * Validation of policy config values against a policy's `configSchema`, as the Pulumi CLI does before
 * it configures a pack (it uses a JSON Schema validator; this is the subset our schemas use). The
 * keywords are listed so a schema that uses anything else fails a test instead of going unchecked.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { isRecord, show } from "./props";

export const SUPPORTED_KEYWORDS = [
  "type", "enum", "minimum", "maximum", "minLength", "pattern", "items", "minItems", "uniqueItems", "description", "default",
] as const;

/** Keywords of a schema (and its `items`) that this validator does not implement. */
export function unsupportedKeywords(schema: PolicyConfigJSONSchema): string[] {
  const own = Object.keys(schema).filter((k) => !(SUPPORTED_KEYWORDS as readonly string[]).includes(k));
  const items = schema.items;
  const nested = isRecord(items) ? unsupportedKeywords(items as PolicyConfigJSONSchema).map((k) => `items.${k}`) : [];
  return [...own, ...nested];
}

/** Problems of one policy's config properties; empty means valid. Each names the property and the fix. */
export function validatePolicyConfig(schema: PolicyConfigSchema, config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of schema.required ?? []) {
    if (config[key] === undefined) problems.push(`${key} is required`);
  }
  for (const [key, value] of Object.entries(config)) {
    const property = schema.properties[key];
    if (property === undefined) {
      problems.push(`${key} is not a setting of this policy; known: ${Object.keys(schema.properties).join(", ") || "none"}`);
      continue;
    }
    if (typeof property === "boolean") continue;
    problems.push(...validateValue(property, value, key));
  }
  return problems;
}

function validateValue(schema: PolicyConfigJSONSchema, value: unknown, path: string): string[] {
  const typeProblem = checkType(schema, value, path);
  if (typeProblem) return [typeProblem];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    problems.push(`${path} is ${show(value)}; allowed: ${schema.enum.map((e) => show(e)).join(", ")}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path} is ${value}; the minimum is ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path} is ${value}; the maximum is ${schema.maximum}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${path} is ${show(value)}; use at least ${schema.minLength} characters`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) problems.push(`${path} is ${show(value)}; it must match /${schema.pattern}/`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) problems.push(`${path} has ${value.length} items; list at least ${schema.minItems}`);
    if (schema.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) problems.push(`${path} lists a value twice; list each once`);
    const items = schema.items;
    if (isRecord(items)) {
      value.forEach((item, i) => problems.push(...validateValue(items as PolicyConfigJSONSchema, item, `${path}[${i}]`)));
    }
  }
  return problems;
}

function checkType(schema: PolicyConfigJSONSchema, value: unknown, path: string): string | undefined {
  if (schema.type === undefined) return undefined;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const ok = types.some((t) => {
    switch (t) {
      case "integer": return Number.isInteger(value);
      case "number": return typeof value === "number" && Number.isFinite(value);
      case "string": return typeof value === "string";
      case "boolean": return typeof value === "boolean";
      case "array": return Array.isArray(value);
      case "object": return isRecord(value);
      case "null": return value === null;
      default: return false;
    }
  });
  return ok ? undefined : `${path} must be ${types.join(" or ")}, got ${show(value)}`;
}
