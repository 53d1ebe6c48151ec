import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { StackConfig } from "./config";
import { HANDLER_NAMES, REPO_ROOT } from "./shared/bundling";
import { STACKS, type ProgramRun, type RecordedResource, type StackName } from "./testing/harness";
import { list, ofType, one, record, TYPES as T } from "./testing/inspect";
import { stackConfigs, stackRuns } from "./testing/stack-runs";

describe("the Pulumi program, per stack", () => {
  let runs: Record<StackName, ProgramRun>;
  const configs: Record<StackName, StackConfig> = stackConfigs();
  const res = (stack: StackName): RecordedResource[] => runs[stack].resources;

  before(async () => {
    runs = await stackRuns();
  });

  it("creates exactly the expected resources in each stack", () => {
    // [dev, qa, prod]: qa adds auto scaling and the history key grant; prod the network and the email.
    const expected: Record<string, [number, number, number]> = {
      "pulumi:pulumi:Stack": [1, 1, 1],
      "batch-ingest:security:EncryptionKey": [1, 1, 1],
      "batch-ingest:storage:DataBucket": [1, 1, 1],
      "batch-ingest:storage:StateTable": [1, 1, 1],
      "batch-ingest:network:Network": [0, 0, 1],
      "batch-ingest:compute:HandlerFunction": [4, 4, 4],
      "batch-ingest:orchestration:Workflow": [1, 1, 1],
      "batch-ingest:monitoring:Alarms": [1, 1, 1],
      "aws:kms/key:Key": [1, 1, 1],
      "aws:kms/alias:Alias": [1, 1, 1],
      [T.bucket]: [1, 1, 1],
      [T.versioning]: [1, 1, 1],
      [T.sse]: [1, 1, 1],
      [T.publicAccess]: [1, 1, 1],
      [T.ownership]: [1, 1, 1],
      "aws:s3/bucketPolicy:BucketPolicy": [1, 1, 1],
      [T.lifecycle]: [1, 1, 1],
      [T.notification]: [1, 1, 1],
      [T.table]: [1, 1, 1],
      "aws:appautoscaling/target:Target": [0, 2, 0],
      "aws:appautoscaling/policy:Policy": [0, 2, 0],
      "awsx:ec2:Vpc": [0, 0, 1],
      "aws:ec2/vpcEndpoint:VpcEndpoint": [0, 0, 2],
      "aws:ec2/securityGroup:SecurityGroup": [0, 0, 1],
      "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": [0, 0, 2],
      [T.logGroup]: [5, 5, 5],
      "aws:iam/role:Role": [6, 6, 6],
      "aws:iam/rolePolicy:RolePolicy": [6, 7, 7],
      [T.fn]: [4, 4, 4],
      "aws:lambda/alias:Alias": [4, 4, 4],
      [T.machine]: [1, 1, 1],
      "aws:sfn/alias:Alias": [1, 1, 1],
      [T.rule]: [1, 1, 1],
      [T.target]: [1, 1, 1],
      [T.topic]: [1, 1, 1],
      "aws:sns/topicSubscription:TopicSubscription": [0, 0, 1],
      [T.alarm]: [11, 11, 11],
    };
    STACKS.forEach((stack, i) => {
      const counts: Record<string, number> = {};
      for (const r of res(stack)) counts[r.type] = (counts[r.type] ?? 0) + 1;
      const want = Object.fromEntries(Object.entries(expected).filter(([, n]) => n[i] > 0).map(([type, n]) => [type, n[i]]));
      assert.deepEqual(counts, want, `${stack} registers other resources than expected`);
    });
  });

  it("creates every child inside its component, named after the component", () => {
    for (const stack of STACKS) {
      const byUrn = new Map(res(stack).map((r) => [r.urn, r]));
      for (const r of res(stack).filter((x) => x.type !== "pulumi:pulumi:Stack")) {
        const parent = r.parent ? byUrn.get(r.parent) : undefined;
        assert.ok(parent, `${stack}: ${r.type} ${r.name} has no recorded parent`);
        if (r.type.startsWith("batch-ingest:")) {
          assert.equal(parent.type, "pulumi:pulumi:Stack", `${stack}: component ${r.name} is nested`);
        } else {
          assert.match(parent.type, /^batch-ingest:/, `${stack}: ${r.type} ${r.name} is not inside a component`);
          assert.ok(r.name.startsWith(`${parent.name}-`), `${stack}: ${r.type} ${r.name} is not named after its component ${parent.name}`);
        }
      }
    }
  });

  it("encrypts the bucket, table, state machine and topic, with the stack's key where it chose one", () => {
    for (const stack of STACKS) {
      const keyArn = one(res(stack), "aws:kms/key:Key").state["arn"];
      const cmk = configs[stack].kmsKey === "customer-managed";
      const rule = record(list(one(res(stack), T.sse).inputs["rules"])[0]);
      assert.deepEqual(
        rule["applyServerSideEncryptionByDefault"],
        cmk ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn } : { sseAlgorithm: "AES256" },
        `${stack}: bucket encryption`,
      );
      assert.deepEqual(one(res(stack), T.table).inputs["serverSideEncryption"], cmk ? { enabled: true, kmsKeyArn: keyArn } : { enabled: true }, `${stack}: table encryption`);
      assert.deepEqual(
        one(res(stack), T.machine).inputs["encryptionConfiguration"],
        cmk ? { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: keyArn, kmsDataKeyReusePeriodSeconds: 300 } : { type: "AWS_OWNED_KEY" },
        `${stack}: state machine encryption`,
      );
      assert.equal(one(res(stack), T.topic).inputs["kmsMasterKeyId"], keyArn, `${stack}: topic encryption`);
      for (const group of ofType(res(stack), T.logGroup)) assert.equal(group.inputs["kmsKeyId"], cmk ? keyArn : undefined, `${stack}: ${group.name} encryption`);
      assert.equal(one(res(stack), "aws:kms/key:Key").inputs["enableKeyRotation"], true, `${stack}: key rotation`);
    }
  });

  it("protects the data in prod only: table deletion protection, and Pulumi protect on the bucket, table and key", () => {
    for (const stack of STACKS) {
      const on = stack === "prod";
      assert.equal(one(res(stack), T.table).inputs["deletionProtectionEnabled"], on, `${stack}: deletion protection`);
      for (const type of [T.bucket, T.table, "aws:kms/key:Key"]) assert.equal(one(res(stack), type).options.protect, on, `${stack}: protect on ${type}`);
    }
  });

  it("logs every function to its own log group and the state machine at the stack's level, kept for the stack's retention", () => {
    for (const stack of STACKS) {
      const groups = ofType(res(stack), T.logGroup);
      for (const g of groups) assert.equal(g.inputs["retentionInDays"], configs[stack].logRetentionDays, `${stack}: ${g.name} retention`);
      for (const handler of HANDLER_NAMES) {
        const group = one(res(stack), T.logGroup, `${handler}-logs`);
        assert.deepEqual(one(res(stack), T.fn, `${handler}-function`).inputs["loggingConfig"], { logFormat: "Text", logGroup: group.state["name"] });
      }
      const machineGroup = one(res(stack), T.logGroup, "ingest-logs");
      assert.match(String(machineGroup.state["name"]), /^\/aws\/vendedlogs\/states\//);
      assert.deepEqual(one(res(stack), T.machine).inputs["loggingConfiguration"], {
        level: configs[stack].workflowLogLevel,
        includeExecutionData: configs[stack].workflowIncludeExecutionData,
        logDestination: `${String(machineGroup.state["arn"])}:*`,
      });
    }
  });

  it("traces every function and the state machine with X-Ray", () => {
    for (const stack of STACKS) {
      for (const fn of ofType(res(stack), T.fn)) assert.deepEqual(fn.inputs["tracingConfig"], { mode: "Active" }, `${stack}: ${fn.name}`);
      assert.deepEqual(one(res(stack), T.machine).inputs["tracingConfiguration"], { enabled: true });
    }
  });

  it("exports the names, alias ARNs, version and both hashes of every bundle", () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    for (const stack of STACKS) {
      const out = runs[stack].outputs;
      assert.equal(out["version"], version);
      assert.equal(out["bucketName"], one(res(stack), T.bucket).state["bucket"]);
      assert.equal(out["tableName"], one(res(stack), T.table).state["name"]);
      assert.equal(out["stateMachineArn"], one(res(stack), T.machine).state["arn"]);
      assert.equal(out["stateMachineAliasArn"], one(res(stack), "aws:sfn/alias:Alias").state["arn"]);
      const functions = record(out["functions"]);
      const bundleSha = record(out["bundleSha256"]);
      const codeSha = record(out["codeSha256"]);
      for (const handler of HANDLER_NAMES) {
        const fn = one(res(stack), T.fn, `${handler}-function`);
        assert.deepEqual(functions[handler], { name: fn.state["name"], aliasArn: one(res(stack), "aws:lambda/alias:Alias", `${handler}-live`).state["arn"] });
        assert.match(String(bundleSha[handler]), /^[0-9a-f]{64}$/);
        assert.equal(codeSha[handler], fn.inputs["codeSha256"]);
        assert.match(String(codeSha[handler]), /^[A-Za-z0-9+/]{43}=$/);
      }
    }
  });
});
