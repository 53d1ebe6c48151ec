import { ProvisionedThroughputExceededException, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { NoSuchKey, NotFound, S3ServiceException } from "@aws-sdk/client-s3";
import assert from "node:assert/strict";
import { InvalidInputFile } from "./errors";
import { callSdk, translateSdkError } from "./sdk-errors";

const meta = (httpStatusCode: number) => ({ httpStatusCode, attempts: 3, totalRetryDelay: 0 });

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? "server" : "client", $metadata: meta(status), message: `${name} happened` });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:9`), { code });
}

const CASES: Array<[string, () => unknown, string | "unchanged"]> = [
  ["DynamoDB throttling", () => new ProvisionedThroughputExceededException({ $metadata: meta(400), message: "slow down" }), "TransientDependencyError"],
  ["S3 SlowDown (503)", () => s3Error("SlowDown", 503), "TransientDependencyError"],
  ["an S3 500 with an unknown name", () => s3Error("WeirdServerThing", 500), "TransientDependencyError"],
  ["ThrottlingException by name", () => s3Error("ThrottlingException", 400), "TransientDependencyError"],
  ["a refused connection", () => networkError("ECONNREFUSED"), "TransientDependencyError"],
  ["a reset connection", () => networkError("ECONNRESET"), "TransientDependencyError"],
  ["the SDK's TimeoutError", () => Object.assign(new Error("timed out"), { name: "TimeoutError" }), "TransientDependencyError"],
  ["S3 NoSuchKey", () => new NoSuchKey({ $metadata: meta(404), message: "The specified key does not exist." }), "InputNotFound"],
  ["S3 NotFound from HeadObject", () => new NotFound({ $metadata: meta(404), message: "Not Found" }), "InputNotFound"],
  ["S3 AccessDenied", () => s3Error("AccessDenied", 403), "unchanged"],
  ["DynamoDB ResourceNotFoundException (a missing table is a deployment bug)", () => new ResourceNotFoundException({ $metadata: meta(400), message: "no table" }), "unchanged"],
  ["a plain bug", () => new TypeError("x is undefined"), "unchanged"],
  ["our own error", () => new InvalidInputFile("bad file"), "unchanged"],
  ["a thrown string", () => "oops", "unchanged"],
];

describe("translateSdkError", () => {
  for (const [name, make, expected] of CASES) {
    it(`${expected === "unchanged" ? "rethrows" : `translates to ${expected}`}: ${name}`, () => {
      const original = make();
      const translated = translateSdkError(original, { operation: "GetObject s3://b/k" });
      if (expected === "unchanged") {
        assert.equal(translated, original);
        return;
      }
      assert.ok(translated instanceof Error);
      assert.equal(translated.name, expected);
      assert.equal(translated.cause, original);
      assert.match(translated.message, /^GetObject s3:\/\/b\/k/);
    });
  }

  it("callSdk throws the translated error and passes results through", async () => {
    assert.equal(await callSdk({ operation: "op" }, async () => 42), 42);
    await assert.rejects(
      callSdk({ operation: "HeadObject s3://b/k" }, async () => {
        throw new NotFound({ $metadata: meta(404), message: "Not Found" });
      }),
      (err: Error) => err.name === "InputNotFound" && /HeadObject s3:\/\/b\/k: the object does not exist/.test(err.message),
    );
  });
});
