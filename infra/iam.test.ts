import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { KEY_ADMIN_ACTIONS } from "./components/encryption-key";
import { loadConfig } from "./config";
import { KEY_POLICY_RESOURCE, policyDocument, STAR_RESOURCE_ACTIONS, type Statement } from "./iam";
import { HANDLER_NAMES, type HandlerName } from "./shared/bundling";
import { readStackFile, STACKS, type ProgramRun, type RecordedResource, type StackName } from "./testing/harness";
import { grants, one, parseStatements, policyDocuments, record, roleStatements } from "./testing/inspect";
import { stackRuns } from "./testing/stack-runs";

describe("IAM", () => {
  let runs: Record<StackName, ProgramRun>;
  const res = (stack: StackName): RecordedResource[] => runs[stack].resources;
  const cmk = (stack: StackName): boolean => loadConfig(stack, readStackFile(stack).config).kmsKey === "customer-managed";

  before(async () => {
    runs = await stackRuns();
  });

  it("allows no wildcard action anywhere", () => {
    for (const stack of STACKS) {
      for (const doc of policyDocuments(res(stack))) {
        for (const s of doc.statements.filter((x) => x.Effect === "Allow")) {
          assert.deepEqual(s.Action.filter((a) => a.includes("*")), [], `${stack}: ${doc.source} ${s.Sid ?? ""} allows a wildcard action`);
        }
      }
    }
  });

  it("scopes every Resource to an ARN or ARN prefix, except the actions AWS documents as needing *", () => {
    for (const stack of STACKS) {
      for (const doc of policyDocuments(res(stack)).filter((d) => d.kind === "identity" || d.kind === "resource")) {
        for (const s of doc.statements) {
          const where = `${stack}: ${doc.source} ${s.Sid ?? ""}`;
          assert.ok(s.Resource.length > 0, `${where} has no Resource`);
          for (const resource of s.Resource) {
            if (resource === "*") {
              assert.deepEqual(s.Action.filter((a) => !STAR_RESOURCE_ACTIONS.includes(a)), [], `${where} grants actions on "*" that are not in STAR_RESOURCE_ACTIONS`);
            } else {
              assert.match(resource, /^arn:aws:[a-z0-9-]+:(eu-west-1)?:(123456789012)?:[^*]+(\*)?$/, `${where} has Resource ${resource}`);
            }
          }
        }
      }
    }
  });

  it("uses * in key policies only as the key itself, and names each administrative action", () => {
    for (const stack of STACKS) {
      const statements = parseStatements(one(res(stack), "aws:kms/key:Key").inputs["policy"]);
      for (const s of statements) assert.deepEqual(s.Resource, [KEY_POLICY_RESOURCE]);
      const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
      assert.deepEqual(bySid["AccountAdministersThroughIam"]?.Action, [...KEY_ADMIN_ACTIONS]);
      assert.deepEqual(bySid["AccountAdministersThroughIam"]?.Principal, { AWS: "arn:aws:iam::123456789012:root" });
      assert.deepEqual(bySid["CloudWatchAlarmsPublishToTopic"]?.Principal, { Service: "cloudwatch.amazonaws.com" });
      assert.equal("CloudWatchLogsEncryptLogGroups" in bySid, cmk(stack), `${stack}: the logs service statement follows the key choice`);
      assert.equal("LogDeliveryReadsWorkflowHistory" in bySid, cmk(stack));
    }
  });

  it("lets each role be assumed only by its own service", () => {
    for (const stack of STACKS) {
      const rule = one(res(stack), "aws:cloudwatch/eventRule:EventRule");
      const expected: Record<string, { service: string; condition?: unknown }> = {
        ...Object.fromEntries(HANDLER_NAMES.map((h) => [`${h}-role`, { service: "lambda.amazonaws.com" }])),
        "ingest-role": { service: "states.amazonaws.com", condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } },
        "ingest-trigger-role": { service: "events.amazonaws.com", condition: { StringEquals: { "aws:SourceArn": rule.state["arn"], "aws:SourceAccount": "123456789012" } } },
      };
      for (const [role, want] of Object.entries(expected)) {
        const [trust] = parseStatements(one(res(stack), "aws:iam/role:Role", role).inputs["assumeRolePolicy"]);
        assert.deepEqual(trust?.Principal, { Service: want.service }, `${stack}: ${role}`);
        assert.deepEqual(trust?.Action, ["sts:AssumeRole"]);
        assert.deepEqual(trust?.Condition, want.condition, `${stack}: ${role} trust condition`);
      }
    }
  });

  it("lets the state machine's role invoke exactly the functions its definition references", () => {
    for (const stack of STACKS) {
      const definition = JSON.parse(String(one(res(stack), "aws:sfn/stateMachine:StateMachine").inputs["definition"])) as { States: Record<string, { Resource?: string }> };
      const referenced = Object.values(definition.States)
        .map((s) => s.Resource ?? "")
        .filter((r) => r.startsWith("arn:aws:lambda:"))
        .sort();
      assert.equal(referenced.length, HANDLER_NAMES.length);
      const invokable = grants(roleStatements(res(stack), "ingest-role")).filter((g) => g.startsWith("lambda:"));
      assert.deepEqual(invokable, referenced.map((arn) => `lambda:InvokeFunction ${arn}`));
      for (const doc of policyDocuments(res(stack)).filter((d) => d.source !== "aws:iam/rolePolicy:RolePolicy ingest-policy")) {
        assert.ok(!doc.statements.some((s) => s.Action.some((a) => a.startsWith("lambda:"))), `${stack}: ${doc.source} may call Lambda`);
      }
    }
  });

  it("lets the state machine's role make only the DynamoDB and S3 calls of its Task states", () => {
    for (const stack of STACKS) {
      const table = one(res(stack), "aws:dynamodb/table:Table").state["arn"];
      const bucket = one(res(stack), "aws:s3/bucket:Bucket").state["arn"];
      assert.deepEqual(grants(roleStatements(res(stack), "ingest-role")).filter((g) => /^(s3|dynamodb):/.test(g)), [
        `dynamodb:PutItem ${table}`,
        `dynamodb:UpdateItem ${table}`,
        `s3:DeleteObject ${bucket}/incoming/*`,
        `s3:GetObject ${bucket}/incoming/*`,
        `s3:PutObject ${bucket}/archive/*`,
      ]);
    }
  });

  it("gives each handler's role only that handler's data actions, on its prefixes and the table", () => {
    for (const stack of STACKS) {
      const table = one(res(stack), "aws:dynamodb/table:Table").state["arn"];
      const bucket = one(res(stack), "aws:s3/bucket:Bucket").state["arn"];
      const expected: Record<HandlerName, string[]> = {
        validate: [`s3:GetObject ${bucket}/incoming/*`, `s3:ListBucket ${bucket}`],
        transform: [
          `s3:AbortMultipartUpload ${bucket}/processed/*`,
          `s3:AbortMultipartUpload ${bucket}/rejected/*`,
          `s3:GetObject ${bucket}/incoming/*`,
          `s3:PutObject ${bucket}/processed/*`,
          `s3:PutObject ${bucket}/rejected/*`,
        ],
        load: [`dynamodb:BatchWriteItem ${table}`, `s3:GetObject ${bucket}/processed/*`],
        report: [`s3:PutObject ${bucket}/reports/*`],
      };
      for (const handler of HANDLER_NAMES) {
        const statements = roleStatements(res(stack), `${handler}-role`);
        assert.deepEqual(grants(statements).filter((g) => /^(s3|dynamodb):/.test(g)), expected[handler], `${stack}: ${handler}`);
        const logGroup = one(res(stack), "aws:cloudwatch/logGroup:LogGroup", `${handler}-logs`).state["arn"];
        assert.deepEqual(grants(statements).filter((g) => g.startsWith("logs:")), [`logs:CreateLogStream ${String(logGroup)}:log-stream:*`, `logs:PutLogEvents ${String(logGroup)}:log-stream:*`]);
      }
    }
  });

  it("lets roles use the stack's key only through S3 for objects, and for their own state machine's history", () => {
    for (const stack of STACKS) {
      const key = String(one(res(stack), "aws:kms/key:Key").state["arn"]);
      for (const role of [...HANDLER_NAMES.map((h) => `${h}-role`), "ingest-role"]) {
        const kms = roleStatements(res(stack), role).filter((s) => s.Action.some((a) => a.startsWith("kms:")) && s.Sid?.endsWith("BucketKey"));
        assert.equal(kms.length, cmk(stack) ? 1 : 0, `${stack}: ${role}`);
        for (const s of kms) {
          assert.deepEqual(s.Resource, [key]);
          assert.deepEqual(s.Condition, { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
        }
      }
      const history = roleStatements(res(stack), "ingest-role").find((s) => s.Sid === "EncryptExecutionHistory");
      assert.equal(history !== undefined, cmk(stack));
      if (history) {
        const machine = String(one(res(stack), "aws:sfn/stateMachine:StateMachine").state["arn"]);
        assert.deepEqual(record(history.Condition?.["StringLike"])["kms:EncryptionContext:aws:states:stateMachineArn"], [machine, `${machine}:*`]);
      }
    }
  });

  it("lets the trigger start only the workflow's live alias", () => {
    for (const stack of STACKS) {
      // Step Functions checks an alias's StartExecution against the unqualified ARN, plus the qualifier.
      const statements = roleStatements(res(stack), "ingest-trigger-role");
      assert.deepEqual(grants(statements), [`states:StartExecution ${String(one(res(stack), "aws:sfn/stateMachine:StateMachine").state["arn"])}`]);
      assert.deepEqual(statements[0]?.Condition, { "ForAnyValue:StringEquals": { "states:StateMachineQualifier": ["live"] } });
      assert.equal(one(res(stack), "aws:sfn/alias:Alias").inputs["name"], "live");
    }
  });

  it("grants the network-interface calls only to functions placed in a VPC", () => {
    for (const stack of STACKS) {
      for (const handler of HANDLER_NAMES) {
        const ec2 = grants(roleStatements(res(stack), `${handler}-role`)).filter((g) => g.startsWith("ec2:"));
        assert.equal(ec2.length > 0, stack === "prod", `${stack}: ${handler}`);
      }
    }
  });

  describe("policyDocument", () => {
    const cases: Array<{ name: string; statement: Statement; kind?: "identity" | "key"; error: RegExp }> = [
      { name: "a wildcard action", statement: { Sid: "A", Effect: "Allow", Action: ["s3:Get*"], Resource: ["arn:aws:s3:::b/*"] }, error: /statement A allows s3:Get\*: name each action instead of a wildcard/ },
      { name: "an action on * that AWS scopes", statement: { Sid: "B", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }, error: /statement B grants s3:GetObject on "\*": scope them to ARNs/ },
      { name: "a key policy scoped to an ARN", statement: { Sid: "C", Effect: "Allow", Action: ["kms:Decrypt"], Resource: ["arn:aws:kms:eu-west-1:1:key/k"] }, kind: "key", error: /key policy statement C .*always "\*"/ },
      { name: "a statement without resources", statement: { Sid: "D", Effect: "Allow", Action: ["s3:GetObject"], Resource: [] }, error: /statement D has no Resource/ },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}`, () => {
        assert.throws(() => policyDocument([c.statement], c.kind), c.error);
      });
    }

    it("renders the documented exceptions and a broad Deny", async () => {
      const doc = policyDocument([
        { Sid: "Trace", Effect: "Allow", Action: ["xray:PutTraceSegments"], Resource: ["*"] },
        { Sid: "Tls", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: ["arn:aws:s3:::b"], Condition: { Bool: { "aws:SecureTransport": "false" } } },
      ]);
      const text = await new Promise<string>((resolve) => pulumi.output(doc).apply(resolve));
      assert.deepEqual(parseStatements(text).map((s) => s.Sid), ["Trace", "Tls"]);
    });
  });
});
