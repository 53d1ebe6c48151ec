import assert from "node:assert/strict";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "./lib/resource-types";
import { isStackPolicy } from "./lib/run-policy";
import { policies } from "./policies";
import {
  bucketStack,
  HANDLERS,
  functionArn,
  lambdaFunction,
  logGroup,
  resource,
  role,
  rolePolicy,
  stateMachine,
  table,
  TAGS,
  topic,
} from "./test-fixtures";
import { checkResource, checkStack, resourceViolations, stackViolations, UNKNOWN, type TestResource } from "./testing";

/**
 * One passing and one violating case for every policy of the pack, run through the same helper as the
 * detailed tests. A new policy without an entry here fails the first test.
 */
interface Pair {
  readonly passes: TestResource | TestResource[];
  readonly violates: TestResource | TestResource[];
  readonly config?: Record<string, unknown>;
}

const invoke = (arns: string[]) => ({ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: arns });
const aliases = HANDLERS.map((h) => functionArn(`batch-ingest-${h}`, "live"));
const workflow = (grants: string[]): TestResource[] => [stateMachine(), role("workflow-role"), rolePolicy("workflow-invoke", "workflow-role", invoke(grants))];
const permission = (props: Record<string, unknown>) => resource(TYPES.permission, "p", { action: "lambda:InvokeFunction", function: "f", principal: "events.amazonaws.com", ...props });

const COVERAGE: Record<string, Pair> = {
  "s3-bucket-server-side-encryption": { passes: bucketStack(), violates: bucketStack({ sse: undefined }) },
  "dynamodb-table-kms-encryption": { passes: table(), violates: table({ serverSideEncryption: { enabled: false } }) },
  "sns-topic-kms-encryption": { passes: topic(), violates: topic({ kmsMasterKeyId: undefined }) },
  "sfn-state-machine-encryption": { passes: stateMachine(), violates: stateMachine({ encryptionConfiguration: undefined }) },
  "cloudwatch-log-group-kms": { passes: logGroup(), violates: logGroup("x", { kmsKeyId: undefined }) },
  "s3-bucket-public-access-block": { passes: bucketStack(), violates: bucketStack({ publicAccessBlock: undefined }) },
  "s3-bucket-tls-only": { passes: bucketStack(), violates: bucketStack({ policy: undefined }) },
  "s3-bucket-acls-disabled": { passes: bucketStack(), violates: bucketStack({ ownership: undefined }) },
  "s3-bucket-versioning": { passes: bucketStack(), violates: bucketStack({ versioning: undefined }) },
  "s3-bucket-lifecycle-rules": { passes: bucketStack(), violates: bucketStack({ lifecycle: undefined }) },
  "s3-bucket-event-notifications": { passes: bucketStack(), violates: bucketStack({ notification: undefined }) },
  "dynamodb-point-in-time-recovery": { passes: table(), violates: table({ pointInTimeRecovery: { enabled: false } }) },
  "dynamodb-deletion-protection": { passes: table(), violates: table({ deletionProtectionEnabled: false }) },
  "dynamodb-capacity-scales": { passes: [table()], violates: [table({ billingMode: "PROVISIONED" })] },
  "lambda-runtime-allowed": { passes: lambdaFunction(), violates: lambdaFunction("v", { runtime: "python3.8" }) },
  "lambda-no-public-access": { passes: permission({ sourceArn: "arn:aws:events:eu-west-1:123456789012:rule/r" }), violates: permission({}) },
  "lambda-xray-active": { passes: lambdaFunction(), violates: lambdaFunction("v", { tracingConfig: undefined }) },
  "lambda-memory-timeout-explicit": { passes: lambdaFunction(), violates: lambdaFunction("v", { timeout: undefined }) },
  "lambda-reserved-concurrency": { passes: lambdaFunction(), violates: lambdaFunction("v", { reservedConcurrentExecutions: undefined }), config: { required: true } },
  "sfn-logging-enabled": { passes: stateMachine(), violates: stateMachine({ loggingConfiguration: { level: "OFF" } }) },
  "sfn-xray-tracing": { passes: stateMachine(), violates: stateMachine({ tracingConfiguration: undefined }) },
  "sfn-task-retry-catch-timeout": { passes: stateMachine(), violates: stateMachine({ definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Task", Resource: aliases[0], End: true } } }) }) },
  "iam-no-wildcard-actions": { passes: rolePolicy("p", "r", invoke(aliases)), violates: rolePolicy("p", "r", { Effect: "Allow", Action: "lambda:*", Resource: aliases }) },
  "iam-no-star-resource": { passes: rolePolicy("p", "r", invoke(aliases)), violates: rolePolicy("p", "r", { Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "*" }) },
  "iam-no-admin-managed-policies": { passes: role("r"), violates: role("r", { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }) },
  "sfn-role-invokes-only-definition-functions": { passes: workflow(aliases), violates: workflow(aliases.slice(1)) },
  "required-tags": { passes: table(), violates: table({ tags: { Project: "batch-ingest" } }) },
  "version-tag-semver": { passes: table(), violates: table({ tags: { ...TAGS, Version: "v1" } }) },
  "log-group-retention": { passes: logGroup(), violates: logGroup("x", { retentionInDays: undefined }), config: { minimumDays: 30 } },
};

async function violations(policy: ResourceValidationPolicy | StackValidationPolicy, subject: TestResource | TestResource[], config: Record<string, unknown> = {}): Promise<string[]> {
  if (isStackPolicy(policy)) return stackViolations(policy, [subject].flat(), config);
  return resourceViolations(policy, Array.isArray(subject) ? subject[0]! : subject, config);
}

describe("every policy of the pack", () => {
  it("has a passing and a violating case here", () => {
    assert.deepEqual(policies.map((p) => p.name).filter((n) => !(n in COVERAGE)), []);
    assert.deepEqual(Object.keys(COVERAGE).filter((n) => !policies.some((p) => p.name === n)), [], "entries for policies that no longer exist");
  });

  for (const policy of policies) {
    const pair = COVERAGE[policy.name];
    if (!pair) continue;
    it(`${policy.name}: passes a compliant case and flags a broken one`, async () => {
      assert.deepEqual(await violations(policy, pair.passes, pair.config), []);
      assert.ok((await violations(policy, pair.violates, pair.config)).length > 0);
    });
  }


  describe("never crashes on what a preview may hold", () => {
    // Every resource any case above uses, then the same with every input missing, and with every
    // input unknown (as on a first preview, when it depends on a resource not yet created).
    const all = [...new Map(Object.values(COVERAGE).flatMap((p) => [p.passes, p.violates].flat()).map((r) => [`${r.type}|${r.name}`, r])).values()];
    const variants: Array<[string, TestResource[]]> = [
      ["missing", all.map((r) => ({ ...r, props: {} }))],
      ["unknown", all.map((r) => ({ ...r, props: Object.fromEntries(Object.keys(r.props).map((k) => [k, UNKNOWN.string])) }))],
    ];
    for (const [label, resources] of variants) {
      it(`runs every policy to a verdict when every input is ${label}`, async () => {
        for (const policy of policies) {
          if (isStackPolicy(policy)) await checkStack(policy, resources, COVERAGE[policy.name]?.config);
          else for (const r of resources) await checkResource(policy, r, COVERAGE[policy.name]?.config);
        }
      });
    }
  });
});
