import assert from "node:assert/strict";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { iamNoAdminManagedPolicies, iamNoStarResource, iamNoWildcardActions, stateMachineRoleInvokesDefinitionFunctions } from "./iam";
import { TYPES } from "./lib/resource-types";
import { ACCOUNT, definitionJson, document, functionArn, HANDLERS, lambdaFunction, resource, role, rolePolicy, stateMachine, table, TABLE_NAME } from "./test-fixtures";
import { checkResource, checkStack, resourceViolations, stackViolations, UNKNOWN, type TestResource } from "./testing";

const TABLE_ARN = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/${TABLE_NAME}`;
const allow = (Action: unknown, Resource: unknown = TABLE_ARN, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action, Resource, ...extra });

interface Case {
  readonly when: string;
  readonly resource: TestResource;
  readonly config?: Record<string, unknown>;
  readonly expect: RegExp[];
}

const documentCases: Array<{ policy: ResourceValidationPolicy; cases: Case[] }> = [
  {
    policy: iamNoWildcardActions,
    cases: [
      { when: "a role policy lists exact actions", resource: rolePolicy("load-policy", "load-role", allow(["dynamodb:BatchWriteItem", "dynamodb:PutItem"])), expect: [] },
      { when: "a statement allows everything", resource: rolePolicy("p", "r", allow("*", "*")), expect: [/allows "\*": list the exact actions/] },
      { when: "a statement allows a whole service", resource: rolePolicy("p", "r", allow(["s3:GetObject", "dynamodb:*"])), expect: [/allows "dynamodb:\*"/] },
      { when: "a Deny uses a wildcard", resource: rolePolicy("p", "r", { Effect: "Deny", Action: "s3:*", Resource: "*" }), expect: [] },
      { when: "an Allow uses NotAction", resource: rolePolicy("p", "r", { Effect: "Allow", NotAction: "iam:*", Resource: "*" }), expect: [/allows every action except iam:\* \(NotAction\)/] },
      { when: "a role's inline policy allows a whole service", resource: role("r", { inlinePolicies: [{ name: "inline", policy: document(allow("lambda:*")) }] }), expect: [/r inline policy "inline" statement 1 allows "lambda:\*"/] },
      { when: "a managed policy allows a whole service, named by Sid", resource: resource(TYPES.managedPolicy, "mp", { policy: document(allow("sqs:*", "*", { Sid: "Queues" })) }), expect: [/statement "Queues" allows "sqs:\*"/] },
      { when: "the document is an object, as a PolicyDocument input", resource: resource(TYPES.rolePolicy, "p", { role: "r", policy: { Version: "2012-10-17", Statement: allow("s3:*") } }), expect: [/allows "s3:\*"/] },
      { when: "the document is not JSON", resource: resource(TYPES.rolePolicy, "p", { role: "r", policy: "{" }), expect: [/policy is not valid JSON/] },
    ],
  },
  {
    policy: iamNoStarResource,
    cases: [
      { when: "every statement names ARNs", resource: rolePolicy("p", "r", allow("dynamodb:PutItem")), expect: [] },
      { when: "X-Ray writes use Resource *", resource: rolePolicy("p", "r", allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*")), expect: [] },
      { when: "log delivery actions use Resource *", resource: rolePolicy("p", "r", allow(["logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:DescribeLogGroups"], ["*"])), expect: [] },
      { when: "a data action uses Resource *", resource: rolePolicy("p", "r", allow(["xray:PutTraceSegments", "s3:GetObject"], "*")), expect: [/grants s3:GetObject on Resource "\*": scope it to ARNs/] },
      { when: "an Allow uses NotResource", resource: rolePolicy("p", "r", allow("s3:GetObject", undefined, { NotResource: "arn:aws:s3:::secret/*" })), expect: [/NotResource/] },
      { when: "a Deny uses Resource *", resource: rolePolicy("p", "r", { Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }), expect: [] },
    ],
  },
  {
    policy: iamNoAdminManagedPolicies,
    cases: [
      { when: "a role attaches a narrow AWS managed policy", resource: role("r", { managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"] }), expect: [] },
      { when: "a role attaches AdministratorAccess", resource: role("r", { managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }), expect: [/attaches the AWS managed policy AdministratorAccess/] },
      { when: "an attachment uses PowerUserAccess", resource: resource(TYPES.rolePolicyAttachment, "att", { role: "r", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }), expect: [/PowerUserAccess/] },
      { when: "an attachment uses a service's full access", resource: resource(TYPES.rolePolicyAttachment, "att", { role: "r", policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }), expect: [/AmazonS3FullAccess/] },
      { when: "an attachment uses a job-function policy in another partition", resource: resource(TYPES.rolePolicyAttachment, "att", { role: "r", policyArn: "arn:aws-us-gov:iam::aws:policy/job-function/SystemAdministrator" }), config: { deniedPolicyNames: ["SystemAdministrator"] }, expect: [/SystemAdministrator/] },
      { when: "an attachment uses the stack's own policy", resource: resource(TYPES.rolePolicyAttachment, "att", { role: "r", policyArn: `arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess` }), expect: [] },
    ],
  },
];

for (const { policy, cases } of documentCases) {
  describe(policy.name, () => {
    for (const c of cases) {
      it(`${c.expect.length ? "denies" : "allows"} when ${c.when}`, async () => {
        const messages = await resourceViolations(policy, c.resource, c.config);
        assert.equal(messages.length, c.expect.length, messages.join("\n"));
        c.expect.forEach((pattern, i) => assert.match(messages[i]!, pattern));
      });
    }
    it("does not apply to resources without permission documents", async () => {
      assert.ok((await checkResource(policy, table())).notApplicable.length > 0);
    });
  });
}

describe("sfn-role-invokes-only-definition-functions", () => {
  const alias = (h: string) => functionArn(`batch-ingest-${h}`, "live");
  const invoke = (resources: unknown) => ({ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: resources });
  const workflowRole = role("workflow-role");
  const stack = (...grants: Record<string, unknown>[]): TestResource[] => [
    stateMachine(),
    workflowRole,
    rolePolicy("workflow-invoke", "workflow-role", ...grants),
    ...HANDLERS.map((h) => lambdaFunction(h)),
  ];

  const cases: Array<{ when: string; resources: TestResource[]; expect: RegExp[] }> = [
    { when: "the role may invoke exactly the four aliases", resources: stack(invoke(HANDLERS.map(alias))), expect: [] },
    { when: "the role grants each function's versions and aliases with function:name:*", resources: stack(invoke(HANDLERS.map((h) => functionArn(`batch-ingest-${h}`, "*")))), expect: [] },
    {
      when: "the grant sits in the role's inline policy",
      resources: [stateMachine(), role("workflow-role", { inlinePolicies: [{ name: "invoke", policy: document(invoke(HANDLERS.map(alias))) }] })],
      expect: [],
    },
    { when: "one function is missing", resources: stack(invoke(HANDLERS.slice(0, 3).map(alias))), expect: [/invokes .*batch-ingest-report:live \(state "Step3"\) but its role "workflow-role" may not/] },
    { when: "an extra function is granted", resources: stack(invoke([...HANDLERS.map(alias), functionArn("batch-ingest-admin")])), expect: [/role policy "workflow-invoke" policy lets role "workflow-role" invoke .*function:batch-ingest-admin, which the definition of "workflow" never invokes/] },
    { when: "every function is granted with a wildcard", resources: stack(invoke(`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:*`)), expect: [/invoke any function matching "arn:aws:lambda:eu-west-1:123456789012:function:\*"/] },
    { when: "invoke is granted on Resource *", resources: stack(invoke("*")), expect: [/invoke any function matching "\*"/] },
    { when: "the role has no invoke grant at all", resources: stack({ Effect: "Allow", Action: "dynamodb:PutItem", Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/t` }), expect: HANDLERS.map((h) => new RegExp(`batch-ingest-${h}:live .* may not`)) },
    {
      when: "the role attaches AWSLambdaRole",
      resources: [...stack(invoke(HANDLERS.map(alias))), resource(TYPES.rolePolicyAttachment, "workflow-lambda-role", { role: "workflow-role", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaRole" })],
      expect: [/attaches AWSLambdaRole, which lets it invoke every function/],
    },
    {
      when: "a Task uses the lambda:invoke integration with a named function",
      resources: [
        stateMachine({ definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { FunctionName: alias("validate") }, End: true } } }) }),
        workflowRole,
        rolePolicy("workflow-invoke", "workflow-role", invoke([alias("validate")])),
      ],
      expect: [],
    },
    {
      when: "a Task picks its function at run time",
      resources: [
        stateMachine({ definition: JSON.stringify({ StartAt: "A", States: { A: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Parameters: { "FunctionName.$": "$.fn" }, End: true } } }) }),
        workflowRole,
      ],
      expect: [/state "A" of "workflow" picks its function at run time/],
    },
    { when: "the state machine's role is not in the stack", resources: [stateMachine({ roleArn: `arn:aws:iam::${ACCOUNT}:role/elsewhere` }), workflowRole], expect: [/runs as "arn:aws:iam::123456789012:role\/elsewhere", which is no role of this stack/] },
    {
      when: "a Parallel branch invokes a function the role may not",
      resources: [
        stateMachine({ definition: JSON.stringify({ StartAt: "P", States: { P: { Type: "Parallel", End: true, Branches: [JSON.parse(definitionJson([alias("load")])) as unknown] } } }) }),
        workflowRole,
        rolePolicy("workflow-invoke", "workflow-role", invoke([alias("validate")])),
      ],
      expect: [/invokes .*batch-ingest-load:live \(state "P\[0\]\.Step0"\)/, /batch-ingest-validate, which the definition of "workflow" never invokes/],
    },
  ];
  for (const c of cases) {
    it(`${c.expect.length ? "denies" : "allows"} when ${c.when}`, async () => {
      const messages = await stackViolations(stateMachineRoleInvokesDefinitionFunctions, c.resources);
      assert.equal(messages.length, c.expect.length, messages.join("\n"));
      c.expect.forEach((pattern, i) => assert.match(messages[i]!, pattern));
    });
  }

  describe("during a first preview, when the definition and the grants hold unknown ARNs", () => {
    const aliases = HANDLERS.map((h) => resource(TYPES.functionAlias, `${h}-live`, { name: "live", functionName: UNKNOWN.string }));
    const machine = (deps: TestResource[]) => ({ ...stateMachine({ definition: UNKNOWN.string }), propertyDependencies: { definition: deps.map((a) => a.urn!), roleArn: [workflowRole.urn!] } });
    const grant = (deps: TestResource[]) => ({ ...resource(TYPES.rolePolicy, "workflow-invoke", { role: "workflow-role", policy: UNKNOWN.string }), propertyDependencies: { policy: deps.map((a) => a.urn!) } });

    it("compares the functions each was built from", async () => {
      assert.deepEqual(await stackViolations(stateMachineRoleInvokesDefinitionFunctions, [machine(aliases), workflowRole, grant(aliases), ...aliases]), []);
    });

    it("names the function the role is not granted", async () => {
      const messages = await stackViolations(stateMachineRoleInvokesDefinitionFunctions, [machine(aliases), workflowRole, grant(aliases.slice(1)), ...aliases]);
      assert.deepEqual(messages, [`state machine "workflow" invokes "validate-live" but its role "workflow-role" is not granted it: allow lambda:InvokeFunction on its ARN`]);
    });

    it("says it cannot run when nothing about the definition is known", async () => {
      const outcome = await checkStack(stateMachineRoleInvokesDefinitionFunctions, [stateMachine({ definition: UNKNOWN.string }), workflowRole]);
      assert.deepEqual(outcome.violations, []);
      assert.match(outcome.cannotRun.join(), /string value at .definition can't be known during preview/);
    });
  });
});
