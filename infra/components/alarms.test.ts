import assert from "node:assert/strict";
import type { StackConfig } from "../config";
import { HANDLER_NAMES } from "../shared/bundling";
import { STACKS, type ProgramRun, type RecordedResource, type StackName } from "../testing/harness";
import { ofType, one, record, TYPES as T } from "../testing/inspect";
import { PROD_ALARM_EMAIL, stackConfigs, stackRuns } from "../testing/stack-runs";

describe("Alarms, per stack", () => {
  let runs: Record<StackName, ProgramRun>;
  const configs: Record<StackName, StackConfig> = stackConfigs();
  const res = (stack: StackName): RecordedResource[] => runs[stack].resources;

  before(async () => {
    runs = await stackRuns();
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

});
