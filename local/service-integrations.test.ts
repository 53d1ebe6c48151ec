import { strict as assert } from "node:assert";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { TaskError } from "./aws-errors";
import { startEmulators, type Emulators } from "./emulators";
import { dynamoIntegration, s3CommandFor, s3Integration, toStateJson } from "./service-integrations";

async function rejection(promise: Promise<unknown>): Promise<TaskError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TaskError, `expected a TaskError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the call to fail");
}

describe("service integrations against the emulators", () => {
  let emu: Emulators;
  before(async () => {
    emu = await startEmulators({ bucket: "integrations", tableName: "integrations-table" });
    await emu.s3.send(new PutObjectCommand({ Bucket: "integrations", Key: "incoming/a.csv", Body: "a,b\n" }));
  });
  after(async () => {
    await emu?.stop();
  });

  it("runs an S3 action as its SDK command and returns JSON without $metadata", async () => {
    const copy = s3Integration("copyObject", emu.s3);
    const result = await copy?.({ Bucket: "integrations", CopySource: "integrations/incoming/a.csv", Key: "archive/a.csv" });
    assert.ok(result && typeof result === "object" && !("$metadata" in result));
    const get = await s3Integration("getObject", emu.s3)?.({ Bucket: "integrations", Key: "archive/a.csv" });
    assert.equal((get as { Body: string }).Body, "a,b\n");
    assert.equal(typeof (get as { LastModified: unknown }).LastModified, "string");
  });

  it("names a missing S3 object S3.NoSuchKeyException with AWS's cause", async () => {
    const error = await rejection(s3Integration("getObject", emu.s3)?.({ Bucket: "integrations", Key: "nope.csv" }) ?? Promise.resolve());
    assert.equal(error.name, "S3.NoSuchKeyException");
    assert.match(error.message, /\(Service: S3, Status Code: 404, Request ID: /);
  });

  it("names a failed DynamoDB condition DynamoDB.ConditionalCheckFailedException", async () => {
    const put = dynamoIntegration("putItem", emu.dynamo);
    const params = { TableName: "integrations-table", Item: { PK: { S: "JOB#x" }, SK: { S: "JOB" } }, ConditionExpression: "attribute_not_exists(PK)" };
    await put?.(params);
    const error = await rejection(put?.(params) ?? Promise.resolve());
    assert.equal(error.name, "DynamoDB.ConditionalCheckFailedException");
    assert.match(error.message, /Status Code: 400; Error Code: ConditionalCheckFailedException/);
  });

  it("reads an item back through getItem in DynamoDB JSON", async () => {
    await dynamoIntegration("putItem", emu.dynamo)?.({ TableName: "integrations-table", Item: { PK: { S: "JOB#y" }, SK: { S: "JOB" }, n: { N: "3" } } });
    const got = await dynamoIntegration("getItem", emu.dynamo)?.({ TableName: "integrations-table", Key: { PK: { S: "JOB#y" }, SK: { S: "JOB" } } });
    assert.deepEqual(got, { Item: { PK: { S: "JOB#y" }, SK: { S: "JOB" }, n: { N: "3" } } });
  });

  it("names a call that never reached the service <Service>.SdkClientException", async () => {
    const closed = new DynamoDBClient({ region: "us-east-1", endpoint: "http://127.0.0.1:1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    const error = await rejection(dynamoIntegration("getItem", closed)?.({ TableName: "t", Key: { PK: { S: "a" }, SK: { S: "b" } } }) ?? Promise.resolve());
    closed.destroy();
    assert.equal(error.name, "DynamoDB.SdkClientException");
  });

  it("knows only real actions", () => {
    assert.equal(dynamoIntegration("scan", emu.dynamo), undefined);
    assert.equal(s3CommandFor("copyObject")?.name, "CopyObjectCommand");
    for (const action of ["CopyObject", "copy-object", "noSuchThing", ""]) {
      assert.equal(s3CommandFor(action), undefined, action);
    }
  });

  it("turns dates, bytes and nested values into state JSON", async () => {
    const when = new Date("2024-05-01T10:00:00Z");
    assert.deepEqual(await toStateJson({ $metadata: {}, A: when, B: new TextEncoder().encode("hi"), C: [{ D: undefined, E: 1 }] }), {
      A: "2024-05-01T10:00:00.000Z",
      B: "hi",
      C: [{ E: 1 }],
    });
  });
});
