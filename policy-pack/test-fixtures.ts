/**
 * Compliant resources in the shapes the engine sends a policy (camelCase @pulumi/aws v7 inputs, policy
 * documents as JSON strings, companions naming their bucket by name). Each test starts from one of
 * these and breaks exactly the property it is about, so a failing case fails for one reason only.
 */
import { testUrn, type TestResource } from "./testing";
import type { Json } from "./lib/props";
import { TYPES } from "./lib/resource-types";

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
export const BUCKET_NAME = "batch-ingest-data-3f9a1c2";
export const TABLE_NAME = "batch-ingest-state-8d41e0a";
export const KMS_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0b6c3f2e-1111-4a5b-9c8d-123456789abc`;
export const TAGS = { Project: "batch-ingest", Environment: "prod", Version: "1.4.0", ManagedBy: "pulumi" };

export function functionArn(name: string, qualifier?: string): string {
  return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier ? `:${qualifier}` : ""}`;
}

export function resource(type: string, name: string, props: Json, extra: Partial<TestResource> = {}): TestResource {
  return { type, name, urn: testUrn(type, name), props, ...extra };
}

export const document = (...statements: Json[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });

export function bucket(props: Json = {}): TestResource {
  return resource(TYPES.bucket, "data-bucket", { bucket: BUCKET_NAME, forceDestroy: false, tags: TAGS, ...props });
}

/** Every companion of a compliant bucket, keyed by what it configures, so a test can drop or replace one. */
export function bucketCompanions(bucketName: string = BUCKET_NAME): Record<string, TestResource> {
  return {
    sse: resource(TYPES.bucketSse, "data-bucket-sse", {
      bucket: bucketName,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KMS_KEY_ARN }, bucketKeyEnabled: true }],
    }),
    publicAccessBlock: resource(TYPES.bucketPublicAccessBlock, "data-bucket-public-access", {
      bucket: bucketName, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }),
    policy: resource(TYPES.bucketPolicy, "data-bucket-policy", {
      bucket: bucketName,
      policy: document({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucketName}`, `arn:aws:s3:::${bucketName}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    }),
    ownership: resource(TYPES.bucketOwnershipControls, "data-bucket-ownership", { bucket: bucketName, rule: { objectOwnership: "BucketOwnerEnforced" } }),
    versioning: resource(TYPES.bucketVersioning, "data-bucket-versioning", { bucket: bucketName, versioningConfiguration: { status: "Enabled" } }),
    lifecycle: resource(TYPES.bucketLifecycle, "data-bucket-lifecycle", {
      bucket: bucketName,
      rules: [
        { id: "abort-incomplete-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        { id: "expire-processed", status: "Enabled", filter: { prefix: "processed/" }, expiration: { days: 30 } },
      ],
    }),
    notification: resource(TYPES.bucketNotification, "data-bucket-notification", { bucket: bucketName, eventbridge: true }),
  };
}

/** A compliant bucket with all its companions. */
export function bucketStack(replace: Record<string, TestResource | undefined> = {}): TestResource[] {
  const companions = { ...bucketCompanions(), ...replace };
  return [bucket(), ...Object.values(companions).filter((r): r is TestResource => r !== undefined)];
}

export function table(props: Json = {}): TestResource {
  return resource(TYPES.table, "state-table", {
    name: TABLE_NAME,
    billingMode: "PAY_PER_REQUEST",
    hashKey: "PK",
    rangeKey: "SK",
    attributes: [{ name: "PK", type: "S" }, { name: "SK", type: "S" }],
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: KMS_KEY_ARN },
    deletionProtectionEnabled: true,
    ttl: { attributeName: "expiresAt", enabled: true },
    tags: TAGS,
    ...props,
  });
}

export function lambdaFunction(handler = "validate", props: Json = {}): TestResource {
  return resource(TYPES.function, `${handler}-function`, {
    name: `batch-ingest-${handler}`,
    runtime: "nodejs22.x",
    architectures: ["arm64"],
    handler: "index.handler",
    role: `arn:aws:iam::${ACCOUNT}:role/${handler}-role`,
    memorySize: 512,
    timeout: 60,
    reservedConcurrentExecutions: 10,
    tracingConfig: { mode: "Active" },
    publish: true,
    tags: { ...TAGS, Handler: handler },
    ...props,
  });
}

export function logGroup(name = "validate-logs", props: Json = {}): TestResource {
  return resource(TYPES.logGroup, name, { name: `/aws/lambda/${name}`, retentionInDays: 30, kmsKeyId: KMS_KEY_ARN, tags: TAGS, ...props });
}

export function topic(props: Json = {}): TestResource {
  return resource(TYPES.topic, "alarms-topic", { kmsMasterKeyId: KMS_KEY_ARN, tags: TAGS, ...props });
}

/** The four handlers the ingest definition invokes, through their `live` aliases. */
export const HANDLERS = ["validate", "transform", "load", "report"] as const;

export function definitionJson(functionArns: readonly string[] = HANDLERS.map((h) => functionArn(`batch-ingest-${h}`, "live"))): string {
  const names = functionArns.map((_, i) => `Step${i}`);
  const task = (arn: string, next: string | undefined): Json => ({
    Type: "Task",
    Resource: arn,
    TimeoutSeconds: 60,
    Retry: [{ ErrorEquals: ["Lambda.ServiceException", "Lambda.TooManyRequestsException"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "FULL" }],
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Failed" }],
    ...(next ? { Next: next } : { End: true }),
  });
  const states: Json = {};
  functionArns.forEach((arn, i) => (states[names[i]!] = task(arn, names[i + 1])));
  states.Failed = { Type: "Fail", Error: "JobFailed" };
  return JSON.stringify({ StartAt: names[0], States: states });
}

export function stateMachine(props: Json = {}): TestResource {
  return resource(TYPES.stateMachine, "workflow", {
    definition: definitionJson(),
    roleArn: `arn:aws:iam::${ACCOUNT}:role/workflow-role`,
    loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/vendedlogs/states/workflow:*` },
    tracingConfiguration: { enabled: true },
    encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: KMS_KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 },
    publish: true,
    tags: TAGS,
    ...props,
  });
}

export function role(name: string, props: Json = {}): TestResource {
  return resource(TYPES.role, name, {
    name,
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    assumeRolePolicy: document({ Effect: "Allow", Principal: { Service: "states.amazonaws.com" }, Action: "sts:AssumeRole" }),
    tags: TAGS,
    ...props,
  });
}

export function rolePolicy(name: string, roleName: string, ...statements: Json[]): TestResource {
  return resource(TYPES.rolePolicy, name, { role: roleName, policy: document(...statements) });
}
