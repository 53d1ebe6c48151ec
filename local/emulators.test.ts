import { strict as assert } from "node:assert";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { startEmulators, type Emulators } from "./emulators";
import { TABLE_KEY_SCHEMA } from "../infra/shared/table";

describe("local emulators", () => {
  let emu: Emulators;
  before(async () => {
    emu = await startEmulators({ bucket: "emu-test", tableName: "emu-table" });
  });
  after(async () => {
    await emu?.stop();
  });

  it("listen on 127.0.0.1 only", () => {
    assert.match(emu.s3Endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(emu.dynamoEndpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("create the table with the key schema the infrastructure declares", async () => {
    const { Table } = await emu.dynamo.send(new DescribeTableCommand({ TableName: "emu-table" }));
    assert.deepEqual(
      Table?.KeySchema?.map((k) => [k.AttributeName, k.KeyType]),
      [
        [TABLE_KEY_SCHEMA.partitionKey, "HASH"],
        [TABLE_KEY_SCHEMA.sortKey, "RANGE"],
      ],
    );
    assert.equal(Table?.TableStatus, "ACTIVE");
  });

  it("serve objects from the created bucket and page through listings", async () => {
    for (let i = 0; i < 3; i++) {
      await emu.s3.send(new PutObjectCommand({ Bucket: "emu-test", Key: `incoming/f${i}.csv`, Body: `row ${i}` }));
    }
    const body = await (await emu.s3.send(new GetObjectCommand({ Bucket: "emu-test", Key: "incoming/f1.csv" }))).Body?.transformToString();
    assert.equal(body, "row 1");
    const first = await emu.s3.send(new ListObjectsV2Command({ Bucket: "emu-test", Prefix: "incoming/", MaxKeys: 2 }));
    assert.equal(first.Contents?.length, 2);
    const second = await emu.s3.send(
      new ListObjectsV2Command({ Bucket: "emu-test", Prefix: "incoming/", MaxKeys: 2, ContinuationToken: first.NextContinuationToken }),
    );
    assert.deepEqual(second.Contents?.map((o) => o.Key), ["incoming/f2.csv"]);
  });

  it("export the environment that points the SDK at the emulators", () => {
    assert.equal(emu.env.AWS_ENDPOINT_URL_S3, emu.s3Endpoint);
    assert.equal(emu.env.AWS_ENDPOINT_URL_DYNAMODB, emu.dynamoEndpoint);
    assert.equal(emu.env.AWS_ACCESS_KEY_ID, "S3RVER");
    assert.equal(emu.env.TABLE_NAME, "emu-table");
  });
});
