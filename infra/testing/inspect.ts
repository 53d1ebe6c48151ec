import assert from "node:assert/strict";
import type { RecordedResource } from "./harness";

/**
 * Helpers for asserting on a recorded program run: find resources, and read every IAM document
 * (trust policies, role policies, the bucket policy, the key policy) as plain statements.
 */

/** Type tokens the program tests look resources up by. */
export const TYPES = {
  bucket: "aws:s3/bucket:Bucket",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  notification: "aws:s3/bucketNotification:BucketNotification",
  table: "aws:dynamodb/table:Table",
  fn: "aws:lambda/function:Function",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  machine: "aws:sfn/stateMachine:StateMachine",
  topic: "aws:sns/topic:Topic",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  rule: "aws:cloudwatch/eventRule:EventRule",
  target: "aws:cloudwatch/eventTarget:EventTarget",
} as const;

export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource of a type (and logical name, if given); fails naming what was found instead. */
export function one(resources: readonly RecordedResource[], type: string, name?: string): RecordedResource {
  const found = ofType(resources, type).filter((r) => name === undefined || r.name === name);
  assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.map((r) => r.name).join(", ") || "none"}`);
  return found[0];
}

export function record(value: unknown): Record<string, unknown> {
  assert.ok(typeof value === "object" && value !== null && !Array.isArray(value), `expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

export function list(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string[];
  readonly Resource: string[];
  readonly Principal?: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export type DocumentKind = "trust" | "identity" | "resource" | "key";

export interface PolicyDocument {
  /** E.g. `aws:iam/rolePolicy:RolePolicy validate-policy`. */
  readonly source: string;
  readonly kind: DocumentKind;
  readonly statements: PolicyStatement[];
}

export function parseStatements(document: unknown): PolicyStatement[] {
  const doc = record(typeof document === "string" ? JSON.parse(document) : document);
  return list(doc["Statement"]).map((raw) => {
    const s = record(raw);
    return {
      Sid: typeof s["Sid"] === "string" ? s["Sid"] : undefined,
      Effect: String(s["Effect"]),
      Action: list(s["Action"]).map(String),
      Resource: list(s["Resource"]).map(String),
      Principal: s["Principal"],
      Condition: s["Condition"] as Record<string, Record<string, unknown>> | undefined,
    };
  });
}

/** Every IAM document the program declares. */
export function policyDocuments(resources: readonly RecordedResource[]): PolicyDocument[] {
  const sources: Array<[string, string, DocumentKind]> = [
    ["aws:iam/role:Role", "assumeRolePolicy", "trust"],
    ["aws:iam/rolePolicy:RolePolicy", "policy", "identity"],
    ["aws:s3/bucketPolicy:BucketPolicy", "policy", "resource"],
    ["aws:kms/key:Key", "policy", "key"],
  ];
  return sources.flatMap(([type, property, kind]) =>
    ofType(resources, type).map((r) => ({ source: `${type} ${r.name}`, kind, statements: parseStatements(r.inputs[property]) })),
  );
}

/** The statements of every inline policy attached to the role with this logical name. */
export function roleStatements(resources: readonly RecordedResource[], roleName: string): PolicyStatement[] {
  const role = one(resources, "aws:iam/role:Role", roleName);
  const policies = ofType(resources, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs["role"] === role.state["name"]);
  assert.ok(policies.length > 0, `role ${roleName} has no inline policy`);
  return policies.flatMap((p) => parseStatements(p.inputs["policy"]));
}

/** Actions granted on each resource by Allow statements, as `action resource` lines, sorted. */
export function grants(statements: readonly PolicyStatement[]): string[] {
  return statements
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => s.Action.flatMap((a) => s.Resource.map((r) => `${a} ${r}`)))
    .sort();
}
