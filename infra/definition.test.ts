import assert from "node:assert/strict";
import { join } from "node:path";
import { integrationStatements } from "./access";
import { handlerTasks, renderDefinition, serviceIntegrations } from "./definition";
import { awsContext } from "./iam";
import { ProgramError, runPulumiProgram } from "./testing/harness";
import { readDefinitionTemplate, type DefinitionValues } from "../step-functions/ingest/definition";

const VALUES: DefinitionValues = {
  ValidateFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:validate:live",
  TransformFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:transform:live",
  LoadFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:load:live",
  ReportFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:report:live",
  TableName: "state",
};

describe("what the program reads from the workflow definition", () => {
  const template = readDefinitionTemplate();

  it("finds the Task that invokes each handler and its TimeoutSeconds", () => {
    assert.deepEqual(handlerTasks(template), {
      validate: { state: "Validate", timeoutSeconds: 90 },
      transform: { state: "Transform", timeoutSeconds: 930 },
      load: { state: "Load", timeoutSeconds: 930 },
      report: { state: "Report", timeoutSeconds: 90 },
    });
  });

  it("fails, naming the Task, when a handler's Task has no TimeoutSeconds", () => {
    const edited = template.replace('"TimeoutSeconds": 930,\n      "Retry"', '"Retry"');
    assert.throws(() => handlerTasks(edited), /Task "Transform" has no TimeoutSeconds/);
  });

  it("lists the service integrations its Task states call", () => {
    assert.deepEqual(serviceIntegrations(template), [
      "arn:aws:states:::aws-sdk:s3:copyObject",
      "arn:aws:states:::aws-sdk:s3:deleteObject",
      "arn:aws:states:::dynamodb:putItem",
      "arn:aws:states:::dynamodb:updateItem",
    ]);
  });

  it("refuses a service integration the workflow role has no grant for", () => {
    const targets = { bucketArn: "arn:aws:s3:::b", tableArn: "arn:aws:dynamodb:eu-west-1:1:table/t", bucketKeyArn: undefined, ctx: awsContext("eu-west-1") };
    assert.throws(() => integrationStatements(["arn:aws:states:::sqs:sendMessage"], targets), /calls arn:aws:states:::sqs:sendMessage, which INTEGRATION_GRANTS in infra\/access\.ts does not know/);
  });

  it("renders a definition that asl-validator accepts, with the values in place", () => {
    const definition = renderDefinition(template, VALUES);
    assert.ok(definition.includes(VALUES.LoadFunctionArn) && !definition.includes("${"));
  });

  it("refuses a definition asl-validator rejects, with the validator's message", () => {
    const broken = template.replace('"Next": "Transform"', '"Next": "Transfrom"');
    assert.throws(() => renderDefinition(broken, VALUES), /the ingest workflow definition is invalid \(asl-validator\): .*MISSING_TRANSITION_TARGET: Missing 'StartAt'\|'Next'\|'Default' target: Transfrom/);
  });

  it("fails the program run, before the state machine exists, with the validator's message when the definition is invalid", async () => {
    const run = () => runPulumiProgram({ programPath: join(__dirname, "testing", "fixtures", "workflow-program.ts"), stack: "dev", config: { "aws:region": "eu-west-1" } });
    process.env["WORKFLOW_FIXTURE_EDIT"] = '"Next": "Transform"=>"Next": "Transfrom"';
    try {
      await assert.rejects(run(), (err: unknown) => {
        assert.ok(err instanceof ProgramError);
        assert.match(err.message, /asl-validator\): .*Missing 'StartAt'\|'Next'\|'Default' target: Transfrom/);
        assert.ok(!err.resources.some((r) => r.type === "aws:sfn/stateMachine:StateMachine"), "the state machine was registered with a broken definition");
        return true;
      });
    } finally {
      delete process.env["WORKFLOW_FIXTURE_EDIT"];
    }
    const ok = await run();
    assert.ok(ok.resources.some((r) => r.type === "aws:sfn/stateMachine:StateMachine"));
  });
});
