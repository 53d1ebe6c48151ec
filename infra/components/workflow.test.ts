import assert from "node:assert/strict";
import type { StackConfig } from "../config";
import { handlerTasks } from "../definition";
import { HANDLER_NAMES } from "../shared/bundling";
import { STACKS, type ProgramRun, type RecordedResource, type StackName } from "../testing/harness";
import { one, TYPES as T } from "../testing/inspect";
import { stackConfigs, stackRuns } from "../testing/stack-runs";
import { aslValidationErrors } from "../../step-functions/validation";
import { readDefinitionTemplate } from "../../step-functions/ingest/definition";

describe("Workflow, per stack", () => {
  let runs: Record<StackName, ProgramRun>;
  const configs: Record<StackName, StackConfig> = stackConfigs();
  const res = (stack: StackName): RecordedResource[] => runs[stack].resources;

  before(async () => {
    runs = await stackRuns();
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

});
