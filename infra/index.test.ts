import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadConfig, type StackConfig } from "./config";
import { handlerTasks } from "./definition";
import { HANDLER_NAMES, REPO_ROOT } from "./shared/bundling";
import { TTL_ATTRIBUTE } from "./shared/table";
import { readStackFile, STACKS, type ProgramRun, type RecordedResource, type StackName } from "./testing/harness";
import { list, ofType, one, record } from "./testing/inspect";
import { PROD_ALARM_EMAIL, stackRuns } from "./testing/stack-runs";
import { aslValidationErrors } from "../step-functions/validation";
import { readDefinitionTemplate } from "../step-functions/ingest/definition";

const T = {
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

describe("the Pulumi program, per stack", () => {
  let runs: Record<StackName, ProgramRun>;
  const configs = Object.fromEntries(STACKS.map((s) => [s, loadConfig(s, readStackFile(s).config)])) as Record<StackName, StackConfig>;
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

  it("blocks all public access, disables ACLs, versions the bucket and sends its events to EventBridge", () => {
    for (const stack of STACKS) {
      const block = one(res(stack), T.publicAccess).inputs;
      for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(block[flag], true, `${stack}: ${flag}`);
      assert.deepEqual(one(res(stack), T.ownership).inputs["rule"], { objectOwnership: "BucketOwnerEnforced" });
      assert.deepEqual(one(res(stack), T.versioning).inputs["versioningConfiguration"], { status: "Enabled" });
      assert.equal(one(res(stack), T.notification).inputs["eventbridge"], true);
      assert.equal(one(res(stack), T.bucket).inputs["forceDestroy"], undefined, `${stack}: a data bucket must not be force-destroyable`);
    }
  });

  it("denies requests that are not over TLS, for the bucket and every object", () => {
    for (const stack of STACKS) {
      const arn = String(one(res(stack), T.bucket).state["arn"]);
      const policy = JSON.parse(String(one(res(stack), "aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])) as { Statement: unknown[] };
      assert.deepEqual(policy.Statement, [
        { Sid: "DenyRequestsWithoutTls", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
      ]);
    }
  });

  it("keeps the table's PK/SK layout with point-in-time recovery and TTL, and the stack's capacity mode", () => {
    for (const stack of STACKS) {
      const table = one(res(stack), T.table).inputs;
      assert.equal(table["hashKey"], "PK");
      assert.equal(table["rangeKey"], "SK");
      assert.deepEqual(table["attributes"], [{ name: "PK", type: "S" }, { name: "SK", type: "S" }]);
      assert.deepEqual(table["pointInTimeRecovery"], { enabled: true }, `${stack}: PITR`);
      assert.deepEqual(table["ttl"], { attributeName: TTL_ATTRIBUTE, enabled: true });
      assert.equal(table["billingMode"], configs[stack].capacityMode === "provisioned" ? "PROVISIONED" : "PAY_PER_REQUEST");
    }
    const targets = ofType(res("qa"), "aws:appautoscaling/target:Target").map((t) => [t.inputs["scalableDimension"], t.inputs["minCapacity"], t.inputs["maxCapacity"]]);
    const capacity = configs.qa.provisionedCapacity;
    assert.ok(capacity);
    assert.deepEqual(targets.sort(), [
      ["dynamodb:table:ReadCapacityUnits", capacity.readMin, capacity.readMax],
      ["dynamodb:table:WriteCapacityUnits", capacity.writeMin, capacity.writeMax],
    ]);
  });

  it("protects the data in prod only: table deletion protection, and Pulumi protect on the bucket, table and key", () => {
    for (const stack of STACKS) {
      const on = stack === "prod";
      assert.equal(one(res(stack), T.table).inputs["deletionProtectionEnabled"], on, `${stack}: deletion protection`);
      for (const type of [T.bucket, T.table, "aws:kms/key:Key"]) assert.equal(one(res(stack), type).options.protect, on, `${stack}: protect on ${type}`);
    }
  });

  it("expires processed/ and rejected/ after the stack's days, and old versions and unfinished uploads", () => {
    for (const stack of STACKS) {
      const days = configs[stack].lifecycleDays;
      const rules = list(one(res(stack), T.lifecycle).inputs["rules"]).map(record);
      const byId = Object.fromEntries(rules.map((r) => [String(r["id"]), r]));
      assert.ok(rules.every((r) => r["status"] === "Enabled"));
      assert.deepEqual(byId["expire-processed"]?.["filter"], { prefix: "processed/" });
      assert.deepEqual(byId["expire-processed"]?.["expiration"], { days: days.processed });
      assert.deepEqual(byId["expire-rejected"]?.["filter"], { prefix: "rejected/" });
      assert.deepEqual(byId["expire-rejected"]?.["expiration"], { days: days.rejected });
      assert.deepEqual(byId["expire-noncurrent-versions"]?.["noncurrentVersionExpiration"], { noncurrentDays: days.noncurrentVersions });
      assert.deepEqual(byId["abort-incomplete-uploads"]?.["abortIncompleteMultipartUpload"], { daysAfterInitiation: days.incompleteUploads });
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

  it("runs each handler on arm64 nodejs22.x with the stack's memory, timeouts and concurrency, published behind a live alias", () => {
    for (const stack of STACKS) {
      const cfg = configs[stack];
      for (const handler of HANDLER_NAMES) {
        const fn = one(res(stack), T.fn, `${handler}-function`);
        assert.deepEqual(fn.inputs["architectures"], ["arm64"]);
        assert.equal(fn.inputs["runtime"], "nodejs22.x");
        assert.equal(fn.inputs["handler"], "index.handler");
        assert.equal(fn.inputs["memorySize"], cfg.memoryMb);
        assert.equal(fn.inputs["timeout"], cfg.timeoutSeconds[handler]);
        assert.equal(fn.inputs["reservedConcurrentExecutions"], cfg.reservedConcurrency === "unreserved" ? undefined : cfg.reservedConcurrency);
        assert.equal(fn.inputs["publish"], true);
        assert.equal(record(fn.inputs["tags"])["Handler"], handler);
        const alias = one(res(stack), "aws:lambda/alias:Alias", `${handler}-live`).inputs;
        assert.deepEqual(alias, { name: "live", functionName: fn.state["name"], functionVersion: fn.state["version"] });
      }
    }
  });

  it("gives each handler exactly the environment it reads", () => {
    for (const stack of STACKS) {
      const tableName = one(res(stack), T.table).state["name"];
      const common = { POWERTOOLS_SERVICE_NAME: "batch-ingest", POWERTOOLS_LOG_LEVEL: configs[stack].logLevel };
      const expected = {
        validate: { ...common, MAX_FILE_BYTES: String(configs[stack].maxFileBytes) },
        transform: common,
        load: { ...common, TABLE_NAME: tableName },
        report: { ...common, RELEASE_VERSION: runs[stack].outputs["version"] },
      };
      for (const handler of HANDLER_NAMES) {
        assert.deepEqual(one(res(stack), T.fn, `${handler}-function`).inputs["environment"], { variables: expected[handler] }, `${stack}: ${handler}`);
      }
    }
  });

  it("deploys the definition with each live alias ARN and the table name, valid for asl-validator", () => {
    const template = readDefinitionTemplate();
    for (const stack of STACKS) {
      const definition = String(one(res(stack), T.machine).inputs["definition"]);
      assert.deepEqual(aslValidationErrors(definition), []);
      assert.ok(!definition.includes("${"), `${stack}: a placeholder is left in the definition`);
      const states = (JSON.parse(definition) as { States: Record<string, { Resource?: string; Parameters?: { TableName?: string } }> }).States;
      const tasks = handlerTasks(template);
      for (const handler of HANDLER_NAMES) {
        assert.equal(states[tasks[handler].state]?.Resource, one(res(stack), "aws:lambda/alias:Alias", `${handler}-live`).state["arn"]);
        assert.ok(configs[stack].timeoutSeconds[handler] < tasks[handler].timeoutSeconds);
      }
      assert.equal(states["RecordJobStarted"]?.Parameters?.TableName, one(res(stack), T.table).state["name"]);
      assert.deepEqual(one(res(stack), "aws:sfn/alias:Alias").inputs["routingConfigurations"], [{ stateMachineVersionArn: one(res(stack), T.machine).state["stateMachineVersionArn"], weight: 100 }]);
      assert.equal(one(res(stack), T.machine).inputs["publish"], true);
    }
  });

  it("starts the live alias for each object created under incoming/, with {bucket, key, jobId}", () => {
    for (const stack of STACKS) {
      const pattern = JSON.parse(String(one(res(stack), T.rule).inputs["eventPattern"])) as unknown;
      assert.deepEqual(pattern, {
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: { bucket: { name: [one(res(stack), T.bucket).state["bucket"]] }, object: { key: [{ prefix: "incoming/" }] } },
      });
      const target = one(res(stack), T.target).inputs;
      assert.equal(target["arn"], one(res(stack), "aws:sfn/alias:Alias").state["arn"]);
      assert.deepEqual(target["inputTransformer"], {
        inputPaths: { bucket: "$.detail.bucket.name", key: "$.detail.object.key", jobId: "$.id" },
        inputTemplate: '{"bucket":<bucket>,"key":<key>,"jobId":<jobId>}',
      });
      assert.equal(target["roleArn"], one(res(stack), "aws:iam/role:Role", "ingest-trigger-role").state["arn"]);
    }
  });

  it("places prod's functions in a VPC over several AZs with S3 and DynamoDB gateway endpoints, and dev and qa's outside one", () => {
    const vpc = one(res("prod"), "awsx:ec2:Vpc");
    assert.ok(Number(vpc.inputs["numberOfAvailabilityZones"]) >= 2);
    assert.deepEqual(vpc.inputs["natGateways"], { strategy: "None" });
    const endpoints = ofType(res("prod"), "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => [e.inputs["serviceName"], e.inputs["vpcEndpointType"], list(e.inputs["routeTableIds"]).length]);
    assert.deepEqual(endpoints.sort(), [
      ["com.amazonaws.eu-west-1.dynamodb", "Gateway", 3],
      ["com.amazonaws.eu-west-1.s3", "Gateway", 3],
    ]);
    const group = one(res("prod"), "aws:ec2/securityGroup:SecurityGroup");
    const egress = ofType(res("prod"), "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
    const prefixLists = ofType(res("prod"), "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.state["prefixListId"]).sort();
    assert.deepEqual(egress.map((e) => e.inputs["prefixListId"]).sort(), prefixLists);
    assert.ok(egress.every((e) => e.inputs["fromPort"] === 443 && e.inputs["toPort"] === 443 && e.inputs["securityGroupId"] === group.id));
    for (const fn of ofType(res("prod"), T.fn)) {
      assert.deepEqual(fn.inputs["vpcConfig"], { subnetIds: vpc.state["isolatedSubnetIds"], securityGroupIds: [group.id] });
    }
    for (const stack of ["dev", "qa"] as const) for (const fn of ofType(res(stack), T.fn)) assert.equal(fn.inputs["vpcConfig"], undefined);
  });

  it("alarms on errors, throttles and failed, timed-out and throttled executions at the stack's thresholds, to the encrypted topic", () => {
    for (const stack of STACKS) {
      const t = configs[stack].alarmThresholds;
      const topic = one(res(stack), T.topic).state["arn"];
      const alarms = ofType(res(stack), T.alarm).map((a) => a.inputs);
      const key = (a: Record<string, unknown>) => `${String(a["namespace"])} ${String(a["metricName"])} ${String(a["threshold"])}`;
      const expected = [
        ...HANDLER_NAMES.flatMap(() => [`AWS/Lambda Errors ${t.functionErrors}`, `AWS/Lambda Throttles ${t.functionThrottles}`]),
        `AWS/States ExecutionsFailed ${t.executionsFailed}`,
        `AWS/States ExecutionsTimedOut ${t.executionsTimedOut}`,
        `AWS/States ExecutionThrottled ${t.executionThrottled}`,
      ];
      assert.deepEqual(alarms.map(key).sort(), expected.sort());
      for (const a of alarms) assert.deepEqual(a["alarmActions"], [topic]);
      const machineArn = one(res(stack), T.machine).state["arn"];
      assert.ok(alarms.filter((a) => a["namespace"] === "AWS/States").every((a) => record(a["dimensions"])["StateMachineArn"] === machineArn));
    }
  });

  it("emails the alarms only where an address is set, reading it as a secret", () => {
    assert.deepEqual(ofType(res("dev"), "aws:sns/topicSubscription:TopicSubscription"), []);
    const subscription = one(res("prod"), "aws:sns/topicSubscription:TopicSubscription").inputs;
    assert.deepEqual(subscription, { topic: one(res("prod"), T.topic).state["arn"], protocol: "email", endpoint: PROD_ALARM_EMAIL });
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
