import assert from "node:assert/strict";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { lambdaExplicitSizing, lambdaNoPublicAccess, lambdaReservedConcurrency, lambdaRuntimeAllowed, lambdaXrayActive } from "./lambda";
import { TYPES } from "./lib/resource-types";
import { ACCOUNT, functionArn, lambdaFunction, resource, table } from "./test-fixtures";
import { checkResource, resourceViolations, type TestResource } from "./testing";

interface Case {
  readonly when: string;
  readonly resource: TestResource;
  readonly config?: Record<string, unknown>;
  /** One pattern per expected violation, in order; empty means compliant. */
  readonly expect: RegExp[];
}

const permission = (props: Record<string, unknown>): TestResource =>
  resource(TYPES.permission, "invoke-permission", { action: "lambda:InvokeFunction", function: "batch-ingest-validate", ...props });
const functionUrl = (authorizationType: unknown): TestResource => resource(TYPES.functionUrl, "validate-url", { functionName: "batch-ingest-validate", authorizationType });

const table_: Array<{ policy: ResourceValidationPolicy; cases: Case[] }> = [
  {
    policy: lambdaRuntimeAllowed,
    cases: [
      { when: "it runs nodejs22.x", resource: lambdaFunction(), expect: [] },
      { when: "it runs a runtime outside the list", resource: lambdaFunction("validate", { runtime: "nodejs18.x" }), expect: [/uses runtime "nodejs18.x"; allowed: nodejs22.x/] },
      { when: "the stack allows another runtime", resource: lambdaFunction("validate", { runtime: "nodejs20.x" }), config: { allowedRuntimes: ["nodejs20.x", "nodejs22.x"] }, expect: [] },
      { when: "a zip function has no runtime", resource: lambdaFunction("validate", { runtime: undefined }), expect: [/uses runtime not set/] },
    ],
  },
  {
    policy: lambdaNoPublicAccess,
    cases: [
      { when: "a function URL requires IAM auth", resource: functionUrl("AWS_IAM"), expect: [] },
      { when: "a function URL allows anyone", resource: functionUrl("NONE"), expect: [/authorizationType "NONE", which lets anyone call it/] },
      { when: "a service permission names its source ARN", resource: permission({ principal: "events.amazonaws.com", sourceArn: "arn:aws:events:eu-west-1:123456789012:rule/x" }), expect: [] },
      { when: "a service permission names its source account", resource: permission({ principal: "s3.amazonaws.com", sourceAccount: ACCOUNT }), expect: [] },
      { when: "a permission names an account principal", resource: permission({ principal: ACCOUNT }), expect: [] },
      { when: "a service permission has no source", resource: permission({ principal: "s3.amazonaws.com" }), expect: [/lets any "s3.amazonaws.com" resource, in any account, invoke the function/] },
      { when: "a permission is for everyone", resource: permission({ principal: "*" }), expect: [/lets anyone invoke the function/] },
      {
        when: "a permission allows unauthenticated URL calls",
        resource: permission({ action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE" }),
        expect: [/allows unauthenticated function URL calls/, /lets anyone invoke/],
      },
    ],
  },
  {
    policy: lambdaXrayActive,
    cases: [
      { when: "tracing is Active", resource: lambdaFunction(), expect: [] },
      { when: "tracing is PassThrough", resource: lambdaFunction("load", { tracingConfig: { mode: "PassThrough" } }), expect: [/tracing mode "PassThrough"/] },
      { when: "tracing is not configured", resource: lambdaFunction("load", { tracingConfig: undefined }), expect: [/tracing mode not set/] },
    ],
  },
  {
    policy: lambdaExplicitSizing,
    cases: [
      { when: "memory and timeout are chosen", resource: lambdaFunction(), expect: [] },
      { when: "neither is set", resource: lambdaFunction("report", { memorySize: undefined, timeout: undefined }), expect: [/memorySize not set/, /timeout not set/] },
      { when: "both are Lambda's defaults", resource: lambdaFunction("report", { memorySize: 128, timeout: 3 }), expect: [/memorySize 128 \(Lambda's default is 128\)/, /timeout 3 \(Lambda's default is 3 s\)/] },
    ],
  },
  {
    policy: lambdaReservedConcurrency,
    cases: [
      { when: "it reserves concurrency where required", resource: lambdaFunction(), config: { required: true }, expect: [] },
      { when: "it reserves none where required", resource: lambdaFunction("transform", { reservedConcurrentExecutions: undefined }), config: { required: true }, expect: [/reservedConcurrentExecutions not set; this stack requires at least 1/] },
      { when: "it keeps the provider's -1 (unreserved) where required", resource: lambdaFunction("transform", { reservedConcurrentExecutions: -1 }), config: { required: true }, expect: [/reservedConcurrentExecutions -1/] },
      { when: "it reserves less than the stack's minimum", resource: lambdaFunction("transform", { reservedConcurrentExecutions: 2 }), config: { required: true, minimum: 5 }, expect: [/requires at least 5/] },
    ],
  },
];

for (const { policy, cases } of table_) {
  describe(policy.name, () => {
    for (const c of cases) {
      it(`${c.expect.length ? "denies" : "allows"} when ${c.when}`, async () => {
        const messages = await resourceViolations(policy, c.resource, c.config);
        assert.equal(messages.length, c.expect.length, messages.join("\n"));
        c.expect.forEach((pattern, i) => assert.match(messages[i]!, pattern));
      });
    }
  });
}

describe("lambda policies that do not apply", () => {
  it("skips container-image functions for the runtime check", async () => {
    const outcome = await checkResource(lambdaRuntimeAllowed, lambdaFunction("validate", { packageType: "Image", runtime: undefined, imageUri: `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com/x:1` }));
    assert.deepEqual(outcome.violations, []);
    assert.match(outcome.notApplicable.join(), /container-image/);
  });

  it("skips reserved concurrency where the stack does not require it, which is the default", async () => {
    const outcome = await checkResource(lambdaReservedConcurrency, lambdaFunction("validate", { reservedConcurrentExecutions: undefined }));
    assert.deepEqual(outcome.violations, []);
    assert.match(outcome.notApplicable.join(), /does not require reserved concurrency/);
  });

  it("does not judge a function, or a table, for public access", async () => {
    for (const r of [lambdaFunction(), table()]) {
      const outcome = await checkResource(lambdaNoPublicAccess, r);
      assert.deepEqual(outcome.violations, []);
      assert.equal(outcome.notApplicable.length, 2, `both validations skip ${r.type}`);
    }
  });

  it("rejects a stack config that lists no runtime, as the CLI would", async () => {
    await assert.rejects(resourceViolations(lambdaRuntimeAllowed, lambdaFunction(), { allowedRuntimes: [] }), /allowedRuntimes has 0 items; list at least 1/);
  });

  it("accepts a qualified function ARN in a permission's function name", async () => {
    const messages = await resourceViolations(lambdaNoPublicAccess, permission({ function: functionArn("batch-ingest-validate", "live"), principal: "events.amazonaws.com", sourceArn: "arn:aws:events:eu-west-1:123456789012:rule/r" }));
    assert.deepEqual(messages, []);
  });
});
