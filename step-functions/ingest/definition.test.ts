import { strict as assert } from "node:assert";
import { aslValidationErrors, lintDefinition } from "../validation";
import { HANDLER_PLACEHOLDERS, PLACEHOLDERS, readDefinitionTemplate, substituteDefinition, type DefinitionValues } from "./definition";

type Json = Record<string, unknown>;

const VALUES: DefinitionValues = {
  ValidateFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:batch-ingest-dev-validate-1a2b3c:live",
  TransformFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:batch-ingest-dev-transform-1a2b3c:live",
  LoadFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:batch-ingest-dev-load-1a2b3c:live",
  ReportFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:batch-ingest-dev-report-1a2b3c:live",
  TableName: "batch-ingest-dev-state-9f8e7d",
};

function substituted(): Json {
  return JSON.parse(substituteDefinition(readDefinitionTemplate(), VALUES)) as Json;
}

function states(): Record<string, Json> {
  return substituted().States as Record<string, Json>;
}

describe("the ingest definition", () => {
  it("is valid ASL once its placeholders are substituted", () => {
    assert.deepEqual(aslValidationErrors(substituteDefinition(readDefinitionTemplate(), VALUES)), []);
  });

  it("passes the project lint: JSONPath only, and every Task has a timeout, transient retries and a Catch", () => {
    assert.deepEqual(lintDefinition(substituted()), []);
  });

  it("runs the seven steps in order on the success path", () => {
    const s = states();
    const path: string[] = [];
    for (let name: string | undefined = String(substituted().StartAt); name; name = s[name].Next as string | undefined) path.push(name);
    assert.deepEqual(path, ["RecordJobStarted", "Validate", "Transform", "Load", "Report", "ArchiveInput", "RemoveInput", "RecordJobSucceeded"]);
    assert.equal(s.RecordJobSucceeded.End, true);
  });

  it("uses direct service integrations for the job record and the archive", () => {
    const s = states();
    assert.equal(s.RecordJobStarted.Resource, "arn:aws:states:::dynamodb:putItem");
    assert.equal(s.RecordJobSucceeded.Resource, "arn:aws:states:::dynamodb:updateItem");
    assert.equal(s.RecordJobFailed.Resource, "arn:aws:states:::dynamodb:updateItem");
    assert.equal(s.ArchiveInput.Resource, "arn:aws:states:::aws-sdk:s3:copyObject");
    assert.equal(s.RemoveInput.Resource, "arn:aws:states:::aws-sdk:s3:deleteObject");
  });

  it("calls each handler through its function ARN", () => {
    const s = states();
    assert.equal(s.Validate.Resource, VALUES.ValidateFunctionArn);
    assert.equal(s.Transform.Resource, VALUES.TransformFunctionArn);
    assert.equal(s.Load.Resource, VALUES.LoadFunctionArn);
    assert.equal(s.Report.Resource, VALUES.ReportFunctionArn);
  });

  it("routes every failure of the main path to RecordJobFailed, which ends in a Fail state", () => {
    const s = states();
    for (const [name, state] of Object.entries(s)) {
      if (state.Type !== "Task" || name === "RecordJobFailed") continue;
      const catches = state.Catch as Json[];
      assert.deepEqual(
        catches.map((c) => [c.ErrorEquals, c.Next, c.ResultPath]),
        [[["States.ALL"], "RecordJobFailed", "$.error"]],
        name,
      );
    }
    assert.equal(s.RecordJobFailed.Next, "JobFailed");
    assert.deepEqual((s.RecordJobFailed.Catch as Json[]).map((c) => c.Next), ["JobFailed"]);
    assert.equal(s.JobFailed.Type, "Fail");
  });

  it("records FAILED with the error and the cause", () => {
    const values = (states().RecordJobFailed.Parameters as Json).ExpressionAttributeValues as Json;
    assert.deepEqual(values, { ":status": { S: "FAILED" }, ":error": { "S.$": "$.error.Error" }, ":cause": { "S.$": "$.error.Cause" } });
  });

  it("retries the handlers' TransientDependencyError but never their input errors", () => {
    for (const name of ["Validate", "Transform", "Load", "Report"]) {
      const retried = (states()[name].Retry as Json[]).flatMap((r) => r.ErrorEquals as string[]);
      assert.ok(retried.includes("TransientDependencyError"), name);
      for (const fatal of ["InvalidInputFile", "InputNotFound", "InvalidEvent", "CountMismatch"]) assert.ok(!retried.includes(fatal), `${name} retries ${fatal}`);
    }
  });
});

describe("definition placeholders", () => {
  it("are exactly the ones the template uses", () => {
    const used = new Set([...readDefinitionTemplate().matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    assert.deepEqual([...used].sort(), [...PLACEHOLDERS].sort());
  });

  it("map every handler to its own function ARN placeholder", () => {
    assert.deepEqual(Object.keys(HANDLER_PLACEHOLDERS), ["validate", "transform", "load", "report"]);
  });

  it("fail substitution when a value is missing, naming it", () => {
    const partial = { ...VALUES, TableName: "" };
    assert.throws(() => substituteDefinition(readDefinitionTemplate(), partial), /no value for placeholder \$\{TableName\}/);
  });

  it("fail substitution on a placeholder nobody knows", () => {
    assert.throws(() => substituteDefinition('{"a":"${Bogus}"}', VALUES), /unknown placeholder \$\{Bogus\}/);
  });

  it("fail substitution when the template never uses a placeholder", () => {
    assert.throws(() => substituteDefinition('{"a":"${TableName}"}', VALUES), /never used by the definition: ValidateFunctionArn/);
  });

  it("escape values so a quote cannot break the document", () => {
    const template = readDefinitionTemplate();
    const out = substituteDefinition(template, { ...VALUES, TableName: 'odd"name' });
    assert.equal(((JSON.parse(out).States.RecordJobStarted as Json).Parameters as Json).TableName, 'odd"name');
  });
});
