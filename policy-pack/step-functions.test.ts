import assert from "node:assert/strict";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readDefinitionTemplate, substituteDefinition } from "../step-functions/ingest/definition";
import { stateMachineLogging, stateMachineTaskResilience, stateMachineTracing } from "./step-functions";
import { functionArn, stateMachine, TABLE_NAME } from "./test-fixtures";
import { checkResource, resourceViolations, UNKNOWN, type TestResource } from "./testing";

interface Case {
  readonly when: string;
  readonly resource: TestResource;
  readonly config?: Record<string, unknown>;
  readonly expect: RegExp[];
}

const definitionWith = (mutate: (states: Record<string, Record<string, unknown>>) => void): string => {
  const definition = JSON.parse(stateMachine().props.definition as string) as { States: Record<string, Record<string, unknown>> };
  mutate(definition.States);
  return JSON.stringify(definition);
};

/** The project's real definition, with the values the Pulumi program substitutes. */
const realDefinition = substituteDefinition(readDefinitionTemplate(), {
  ValidateFunctionArn: functionArn("batch-ingest-validate", "live"),
  TransformFunctionArn: functionArn("batch-ingest-transform", "live"),
  LoadFunctionArn: functionArn("batch-ingest-load", "live"),
  ReportFunctionArn: functionArn("batch-ingest-report", "live"),
  TableName: TABLE_NAME,
});

const logging = (level: unknown, extra: Record<string, unknown> = {}) => ({
  loggingConfiguration: { level, includeExecutionData: true, logDestination: "arn:aws:logs:eu-west-1:123456789012:log-group:/x:*", ...extra },
});

const table: Array<{ policy: ResourceValidationPolicy; cases: Case[] }> = [
  {
    policy: stateMachineLogging,
    cases: [
      { when: "it logs ALL", resource: stateMachine(), config: { minimumLevel: "ALL", requireExecutionData: true }, expect: [] },
      { when: "it logs ERROR and the stack's minimum is ERROR", resource: stateMachine(logging("ERROR")), expect: [] },
      { when: "it logs FATAL and the stack's minimum is ERROR", resource: stateMachine(logging("FATAL")), expect: [/logs at level "FATAL"; this stack requires ERROR or more verbose/] },
      { when: "logging is OFF", resource: stateMachine(logging("OFF")), expect: [/logs at level "OFF"/] },
      { when: "logging is not configured", resource: stateMachine({ loggingConfiguration: undefined }), expect: [/logs at level not set/] },
      { when: "it has no destination", resource: stateMachine(logging("ALL", { logDestination: undefined })), expect: [/has no loggingConfiguration.logDestination/] },
      { when: "execution data is required but omitted", resource: stateMachine(logging("ALL", { includeExecutionData: false })), config: { requireExecutionData: true }, expect: [/omits execution data/] },
    ],
  },
  {
    policy: stateMachineTracing,
    cases: [
      { when: "tracing is enabled", resource: stateMachine(), expect: [] },
      { when: "tracing is disabled", resource: stateMachine({ tracingConfiguration: { enabled: false } }), expect: [/X-Ray tracing off/] },
      { when: "tracing is not configured", resource: stateMachine({ tracingConfiguration: undefined }), expect: [/X-Ray tracing off/] },
    ],
  },
  {
    policy: stateMachineTaskResilience,
    cases: [
      { when: "every Task retries, catches and times out", resource: stateMachine(), expect: [] },
      { when: "it deploys the project's own definition", resource: stateMachine({ definition: realDefinition }), expect: [] },
      { when: "a Task has no TimeoutSeconds", resource: stateMachine({ definition: definitionWith((s) => delete s.Step1!.TimeoutSeconds) }), expect: [/state "Step1" has no TimeoutSeconds/] },
      { when: "a Task has no Catch", resource: stateMachine({ definition: definitionWith((s) => delete s.Step2!.Catch) }), expect: [/state "Step2" has no Catch of States.ALL/] },
      { when: "a Task has no Retry", resource: stateMachine({ definition: definitionWith((s) => delete s.Step0!.Retry) }), expect: [/state "Step0" has no Retry/] },
      {
        when: "a Task retries States.ALL, which is not transient",
        resource: stateMachine({ definition: definitionWith((s) => (s.Step3!.Retry = [{ ErrorEquals: ["States.ALL"], MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "FULL" }])) }),
        expect: [/state "Step3" Retry\[0\] retries States.ALL: retry named transient errors only/],
      },
      { when: "the definition is not JSON", resource: stateMachine({ definition: "{ States:" }), expect: [/has a definition that is not valid JSON/] },
    ],
  },
];

for (const { policy, cases } of table) {
  describe(policy.name, () => {
    for (const c of cases) {
      it(`${c.expect.length ? "denies" : "allows"} a state machine when ${c.when}`, async () => {
        const messages = await resourceViolations(policy, c.resource, c.config);
        assert.equal(messages.length, c.expect.length, messages.join("\n"));
        c.expect.forEach((pattern, i) => assert.match(messages[i]!, pattern));
      });
    }
  });
}

describe("sfn-task-retry-catch-timeout during a first preview", () => {
  it("says it cannot run while the definition still holds unknown ARNs, instead of passing or crashing", async () => {
    const outcome = await checkResource(stateMachineTaskResilience, stateMachine({ definition: UNKNOWN.string }));
    assert.deepEqual(outcome.violations, []);
    assert.match(outcome.cannotRun.join(), /can't run policy 'sfn-task-retry-catch-timeout' during preview: string value at .definition/);
  });
});
