/**
 * The settings of a resource worth showing in a plan: the ones the policies judge (encryption,
 * logging, tracing, sizing, retention, protection), in a line a reviewer can scan. Types not listed
 * show none; a plan is a summary, not a dump.
 */
import { parsePolicyDocument } from "./iam-documents";
import { asArray, asRecord, asString, type Json } from "./props";
import { TYPES } from "./resource-types";

export type Settings = Record<string, string | number | boolean | string[]>;

type Summarizer = (p: Json) => Settings;

const defined = (s: Record<string, string | number | boolean | string[] | undefined>): Settings =>
  Object.fromEntries(Object.entries(s).filter((e): e is [string, string | number | boolean | string[]] => e[1] !== undefined));

const SUMMARIES: Record<string, Summarizer> = {
  [TYPES.bucket]: (p) => defined({ bucket: asString(p.bucket), bucketPrefix: asString(p.bucketPrefix), forceDestroy: p.forceDestroy === true }),
  [TYPES.bucketSse]: (p) =>
    defined({ sseAlgorithm: asArray(p.rules).map((r) => asString(asRecord(asRecord(r)?.applyServerSideEncryptionByDefault)?.sseAlgorithm) ?? "?").join(","), bucketKey: asArray(p.rules).some((r) => asRecord(r)?.bucketKeyEnabled === true) }),
  [TYPES.bucketPublicAccessBlock]: (p) => ({
    blocked: ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((k) => p[k] === true) ? "all four" : "NOT all four",
  }),
  [TYPES.bucketPolicy]: (p) => ({ statements: parsePolicyDocument(p.policy).statements.map((s) => `${s.effect ?? "?"}:${s.sid ?? s.actions.join("+")}`) }),
  [TYPES.bucketOwnershipControls]: (p) => defined({ objectOwnership: asString(asRecord(p.rule)?.objectOwnership) }),
  [TYPES.bucketVersioning]: (p) => defined({ status: asString(asRecord(p.versioningConfiguration)?.status) }),
  [TYPES.bucketLifecycle]: (p) => ({ rules: asArray(p.rules).map((r) => `${asString(asRecord(r)?.id) ?? "?"}(${asString(asRecord(r)?.status) ?? "?"})`) }),
  [TYPES.bucketNotification]: (p) => ({ eventbridge: p.eventbridge === true }),
  [TYPES.table]: (p) =>
    defined({
      billingMode: asString(p.billingMode) ?? "PROVISIONED",
      pitr: asRecord(p.pointInTimeRecovery)?.enabled === true,
      sse: asRecord(p.serverSideEncryption)?.enabled === true ? (asRecord(p.serverSideEncryption)?.kmsKeyArn ? "customer key" : "AWS managed key") : "AWS owned key",
      deletionProtection: p.deletionProtectionEnabled === true,
      ttl: asString(asRecord(p.ttl)?.attributeName),
    }),
  [TYPES.scalingTarget]: (p) => defined({ dimension: asString(p.scalableDimension), min: p.minCapacity as number | undefined, max: p.maxCapacity as number | undefined }),
  [TYPES.function]: (p) =>
    defined({
      runtime: asString(p.runtime),
      architectures: asArray(p.architectures).flatMap((a) => asString(a) ?? []),
      memorySize: p.memorySize as number | undefined,
      timeout: p.timeout as number | undefined,
      reservedConcurrency: p.reservedConcurrentExecutions as number | undefined,
      tracing: asString(asRecord(p.tracingConfig)?.mode),
      vpc: p.vpcConfig !== undefined,
    }),
  [TYPES.functionAlias]: (p) => defined({ alias: asString(p.name), version: asString(p.functionVersion) }),
  [TYPES.stateMachine]: (p) =>
    defined({
      logLevel: asString(asRecord(p.loggingConfiguration)?.level) ?? "OFF",
      executionData: asRecord(p.loggingConfiguration)?.includeExecutionData === true,
      tracing: asRecord(p.tracingConfiguration)?.enabled === true,
      encryption: asString(asRecord(p.encryptionConfiguration)?.type),
      publish: p.publish === true,
    }),
  [TYPES.role]: (p) => ({ inlinePolicies: asArray(p.inlinePolicies).length, managedPolicies: asArray(p.managedPolicyArns).flatMap((a) => asString(a)?.split("/").pop() ?? []) }),
  [TYPES.rolePolicy]: (p) => ({ actions: [...new Set(parsePolicyDocument(p.policy).statements.flatMap((s) => s.actions))] }),
  [TYPES.logGroup]: (p) => defined({ retentionInDays: p.retentionInDays as number | undefined, kms: asString(p.kmsKeyId) ? true : false }),
  [TYPES.topic]: (p) => ({ kms: asString(p.kmsMasterKeyId) ? true : false }),
  "aws:kms/key:Key": (p) => defined({ rotation: p.enableKeyRotation === true, deletionWindowInDays: p.deletionWindowInDays as number | undefined }),
  "aws:cloudwatch/metricAlarm:MetricAlarm": (p) => defined({ metric: asString(p.metricName), threshold: p.threshold as number | undefined }),
};

/** The key settings of one resource, from its inputs; empty for types without a summary. */
export function keySettings(type: string, inputs: Json): Settings {
  const summarize = SUMMARIES[type];
  if (!summarize) return {};
  try {
    return summarize(inputs);
  } catch {
    return {}; // a plan line must never fail the preview
  }
}

/** `key=value` pairs for a text plan. */
export function formatSettings(settings: Settings): string {
  return Object.entries(settings)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? (v.length ? v.join(",") : "none") : String(v)}`)
    .join(" ");
}
