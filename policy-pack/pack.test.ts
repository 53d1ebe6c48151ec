import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as aws from "@pulumi/aws";
import * as protoutil from "@pulumi/policy/protoutil";
import type { Policies } from "@pulumi/policy";
import { FRAMEWORKS } from "./lib/citations";
import { unsupportedKeywords } from "./lib/config-schema";
import { parsePackConfig, reconcilePackConfig } from "./lib/pack-config";
import { TYPES } from "./lib/resource-types";
import { pulumiTypeOf } from "./lib/run-policy";
import { dynamodbPolicies } from "./dynamodb";
import { encryptionPolicies } from "./encryption";
import { iamPolicies } from "./iam";
import { lambdaPolicies } from "./lambda";
import { logPolicies } from "./logs";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./policies";
import { s3Policies } from "./s3";
import { stepFunctionsPolicies } from "./step-functions";
import { tagPolicies } from "./tags";

describe("the policy pack", () => {
  it("names every policy once, in kebab-case", () => {
    const names = policies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length, `duplicates in ${names.join(", ")}`);
    for (const name of names) assert.match(name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(!names.includes("all"), `"all" is reserved by the CLI`);
  });

  it("describes every policy with a sentence starting \"Checks whether\"", () => {
    for (const p of policies) assert.match(p.description, /^Checks whether .+\.$/, p.name);
  });

  it("gives every policy an enforcement level, a severity and a citation of FSBP, cdk-nag or Checkov", () => {
    const frameworks: string[] = Object.values(FRAMEWORKS);
    for (const p of policies) {
      assert.ok(p.enforcementLevel === "advisory" || p.enforcementLevel === "mandatory", `${p.name} level`);
      assert.ok(p.severity, `${p.name} severity`);
      assert.ok(p.framework && frameworks.includes(p.framework.name), `${p.name} cites ${p.framework?.name}`);
      assert.ok(p.framework.reference && p.framework.specification, `${p.name} reference and title`);
      assert.match(p.url ?? "", /^https:\/\//, `${p.name} url`);
    }
  });

  it("uses only config schema keywords the offline validator checks, with valid defaults", () => {
    for (const p of policies) {
      for (const [key, schema] of Object.entries(p.configSchema?.properties ?? {})) {
        assert.equal(typeof schema, "object", `${p.name}.${key}`);
        if (typeof schema === "object") assert.deepEqual(unsupportedKeywords(schema), [], `${p.name}.${key}`);
        assert.ok(key !== "enforcementLevel", "enforcementLevel is reserved");
      }
    }
    // The defaults alone must validate: this is what `pulumi preview --policy-pack` runs without a config file.
    assert.doesNotThrow(() => reconcilePackConfig(policies));
  });

  it("serializes to the analyzer metadata the CLI asks for, as the real server would", () => {
    const info = (protoutil as unknown as { makeAnalyzerInfo: (...args: unknown[]) => { getPoliciesList(): unknown[]; getName(): string } }).makeAnalyzerInfo(
      PACK_NAME, "0.1.0", PACK_ENFORCEMENT_LEVEL, { policies }, undefined,
    );
    assert.equal(info.getName(), PACK_NAME);
    assert.equal(info.getPoliciesList().length, policies.length);
  });

  it("is made of one module per area, each contributing its policies once", () => {
    const areas = { encryptionPolicies, s3Policies, dynamodbPolicies, lambdaPolicies, stepFunctionsPolicies, iamPolicies, tagPolicies, logPolicies };
    for (const [area, list] of Object.entries(areas)) assert.ok(list.length > 0, area);
    assert.deepEqual(Object.values(areas).flat().map((p) => p.name).sort(), policies.map((p) => p.name).sort());
  });

  it("binds its type-filtered validations to tokens that exist in @pulumi/aws v7", () => {
    const tokens = new Set<string>();
    for (const p of policies as Policies) {
      const validations = "validateResource" in p && p.validateResource ? [p.validateResource].flat() : [];
      for (const v of validations) {
        const token = pulumiTypeOf(v);
        if (token) tokens.add(token);
      }
    }
    assert.ok(tokens.size >= 5);
    for (const token of tokens) assert.ok(Object.values(TYPES).includes(token as never), `${token} is in TYPES`);
  });

  it("spells every type token as the installed @pulumi/aws classes do", () => {
    const classes: Record<keyof typeof TYPES, unknown> = {
      bucket: aws.s3.Bucket,
      bucketSse: aws.s3.BucketServerSideEncryptionConfiguration,
      bucketPublicAccessBlock: aws.s3.BucketPublicAccessBlock,
      bucketPolicy: aws.s3.BucketPolicy,
      bucketOwnershipControls: aws.s3.BucketOwnershipControls,
      bucketAcl: aws.s3.BucketAcl,
      bucketVersioning: aws.s3.BucketVersioning,
      bucketLifecycle: aws.s3.BucketLifecycleConfiguration,
      bucketNotification: aws.s3.BucketNotification,
      table: aws.dynamodb.Table,
      scalingTarget: aws.appautoscaling.Target,
      function: aws.lambda.Function,
      functionUrl: aws.lambda.FunctionUrl,
      permission: aws.lambda.Permission,
      functionAlias: aws.lambda.Alias,
      stateMachine: aws.sfn.StateMachine,
      role: aws.iam.Role,
      rolePolicy: aws.iam.RolePolicy,
      managedPolicy: aws.iam.Policy,
      rolePolicyAttachment: aws.iam.RolePolicyAttachment,
      policyAttachment: aws.iam.PolicyAttachment,
      logGroup: aws.cloudwatch.LogGroup,
      topic: aws.sns.Topic,
    };
    for (const [key, token] of Object.entries(TYPES)) assert.equal(pulumiTypeOf(classes[key as keyof typeof TYPES]), token, key);
  });

  describe("per-stack config files (what --policy-pack-config takes)", () => {
    const resolve = (stack: string) => {
      const source = `policy-pack/config/${stack}.json`;
      return reconcilePackConfig(policies, parsePackConfig(readFileSync(join(__dirname, "config", `${stack}.json`), "utf8"), source), PACK_ENFORCEMENT_LEVEL, source);
    };

    it("exist for every stack and fit the pack's schemas", () => {
      for (const stack of ["dev", "qa", "prod"]) assert.doesNotThrow(() => resolve(stack), stack);
    });

    it("make every policy advisory in dev, and all but log-group KMS mandatory in qa and prod", () => {
      assert.deepEqual([...new Set([...resolve("dev").values()].map((c) => c.enforcementLevel))], ["advisory"]);
      for (const stack of ["qa", "prod"]) {
        const advisory = [...resolve(stack)].filter(([, c]) => c.enforcementLevel !== "mandatory").map(([name]) => name);
        assert.deepEqual(advisory, ["cloudwatch-log-group-kms"], stack);
      }
    });

    it("require prod's protections that dev and qa may skip", () => {
      const prod = resolve("prod");
      assert.deepEqual(prod.get("dynamodb-deletion-protection")!.properties, { required: true });
      assert.equal(prod.get("lambda-reserved-concurrency")!.properties.required, true);
      assert.equal(prod.get("s3-bucket-server-side-encryption")!.properties.requireKms, true);
      assert.equal(resolve("dev").get("dynamodb-deletion-protection")!.properties.required, false);
    });
  });

  it("documents every policy in docs/policy.md", () => {
    const doc = readFileSync(join(__dirname, "..", "docs", "policy.md"), "utf8");
    for (const p of policies) assert.ok(doc.includes(`| \`${p.name}\` |`), `${p.name} is in the docs' table`);
  });
});
