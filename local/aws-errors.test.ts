import { strict as assert } from "node:assert";
import { lambdaError, lambdaTimeoutError, serviceErrorCause, serviceErrorName, type ServiceName } from "./aws-errors";

function sdkError(name: string, httpStatusCode?: number): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return httpStatusCode === undefined ? error : Object.assign(error, { $metadata: { httpStatusCode, requestId: "req-1" } });
}

describe("AWS error naming", () => {
  const cases: Array<[ServiceName, Error, string]> = [
    ["S3", sdkError("NoSuchKey", 404), "S3.NoSuchKeyException"],
    ["S3", sdkError("SlowDown", 503), "S3.SlowDownException"],
    ["S3", sdkError("NotFound", 404), "S3.NotFoundException"],
    ["S3", sdkError("InvalidObjectState", 403), "S3.InvalidObjectStateException"],
    ["S3", sdkError("S3ServiceException", 500), "S3.InternalErrorException"],
    ["S3", sdkError("Unknown", 503), "S3.ServiceUnavailableException"],
    ["S3", sdkError("ECONNREFUSED"), "S3.SdkClientException"],
    ["DynamoDB", sdkError("ConditionalCheckFailedException", 400), "DynamoDB.ConditionalCheckFailedException"],
    ["DynamoDB", sdkError("ProvisionedThroughputExceededException", 400), "DynamoDB.ProvisionedThroughputExceededException"],
    ["DynamoDB", sdkError("ResourceNotFoundException", 400), "DynamoDB.ResourceNotFoundException"],
    ["DynamoDB", sdkError("DynamoDBServiceException", 500), "DynamoDB.InternalServerError"],
    ["DynamoDB", sdkError("TimeoutError"), "DynamoDB.SdkClientException"],
  ];
  for (const [service, error, expected] of cases) {
    it(`names ${service} ${error.name}${"$metadata" in error ? "" : " without a response"} as ${expected}`, () => {
      assert.equal(serviceErrorName(service, error), expected);
    });
  }

  it("gives service causes the message, the service, the status code and the error code", () => {
    assert.equal(
      serviceErrorCause("DynamoDB", sdkError("ConditionalCheckFailedException", 400)),
      "ConditionalCheckFailedException happened (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: req-1; Proxy: null)",
    );
    assert.equal(serviceErrorCause("S3", sdkError("NoSuchKey", 404)), "NoSuchKey happened (Service: S3, Status Code: 404, Request ID: req-1)");
    assert.match(serviceErrorCause("S3", sdkError("ECONNREFUSED")), /^Unable to execute HTTP request: ECONNREFUSED happened$/);
  });

  it("reports a thrown handler error by its name, with Lambda's JSON cause", () => {
    const thrown = new Error("header lacks amount");
    thrown.name = "InvalidInputFile";
    const error = lambdaError(thrown);
    assert.equal(error.name, "InvalidInputFile");
    const cause = JSON.parse(error.message) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(cause.errorType, "InvalidInputFile");
    assert.equal(cause.errorMessage, "header lacks amount");
    assert.equal(cause.trace[0], "InvalidInputFile: header lacks amount");
  });

  it("reports a thrown non-Error as errorType Error with its text", () => {
    const error = lambdaError("plain string");
    assert.equal(error.name, "Error");
    assert.deepEqual(JSON.parse(error.message), { errorType: "Error", errorMessage: "plain string", trace: [] });
  });

  it("reports a timeout as Sandbox.Timedout with Lambda's message", () => {
    const error = lambdaTimeoutError("req-9", 1500, new Date("2024-05-01T10:00:00.000Z"));
    assert.equal(error.name, "Sandbox.Timedout");
    assert.deepEqual(JSON.parse(error.message), { errorMessage: "2024-05-01T10:00:00.000Z req-9 Task timed out after 1.50 seconds" });
  });
});
