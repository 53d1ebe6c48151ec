/**
 * Errors the way Step Functions names them. aws-local-stepfunctions matches `Retry`/`Catch`
 * `ErrorEquals` against `error.name` and records `error.message` as the `Cause`
 * (StateExecutor.shouldRetry / catchError in its build), so every failure a Task reports is a
 * `TaskError` whose name is the AWS error name and whose message is the AWS-shaped cause.
 */
export class TaskError extends Error {
  // No `{ cause }` on purpose: aws-local-stepfunctions reports `error.cause ?? error.message` in its
  // event log, and the AWS-shaped message is the cause Step Functions shows.
  constructor(errorName: string, cause: string) {
    super(cause);
    this.name = errorName;
  }
}

/** The service prefixes Step Functions puts on integration errors. */
export type ServiceName = "S3" | "DynamoDB";

interface SdkErrorShape {
  readonly name: string;
  readonly message: string;
  readonly statusCode?: number;
  readonly requestId?: string;
}

function readSdkError(error: unknown): SdkErrorShape {
  if (!(error instanceof Error)) {
    return { name: "Error", message: String(error) };
  }
  const meta = (error as { $metadata?: { httpStatusCode?: unknown; requestId?: unknown } }).$metadata;
  const statusCode = typeof meta?.httpStatusCode === "number" ? meta.httpStatusCode : undefined;
  const requestId = typeof meta?.requestId === "string" ? meta.requestId : undefined;
  return { name: error.name, message: error.message, statusCode, requestId };
}

/** S3 returns bare codes (`NoSuchKey`, `SlowDown`); the SDK falls back to these names when it cannot parse one. */
const GENERIC_SDK_NAMES = new Set(["Error", "Unknown", "UnknownError", "S3ServiceException", "DynamoDBServiceException"]);

const STATUS_NAMES: Record<ServiceName, Record<number, string>> = {
  S3: { 500: "InternalError", 503: "ServiceUnavailable" },
  DynamoDB: { 500: "InternalServerError", 503: "ServiceUnavailable" },
};

/**
 * The error name Step Functions reports for a failed service integration call:
 * - S3 (AWS SDK integration): `S3.` + the error code, with `Exception` appended when absent
 *   (`NoSuchKey` -> `S3.NoSuchKeyException`, `SlowDown` -> `S3.SlowDownException`);
 * - DynamoDB (optimized integration): `DynamoDB.` + the exception name as the SDK gives it
 *   (`DynamoDB.ConditionalCheckFailedException`);
 * - anything that never got an HTTP response (refused connection, timeout): `<Service>.SdkClientException`.
 */
export function serviceErrorName(service: ServiceName, error: unknown): string {
  const sdk = readSdkError(error);
  if (sdk.statusCode === undefined) {
    return `${service}.SdkClientException`;
  }
  let name = sdk.name;
  if (GENERIC_SDK_NAMES.has(name)) {
    name = STATUS_NAMES[service][sdk.statusCode] ?? (service === "S3" ? "S3" : "AmazonDynamoDB");
  }
  if (service === "S3" && !name.endsWith("Exception")) {
    name += "Exception";
  }
  return `${service}.${name}`;
}

/** The cause text AWS gives for service errors: the message, then service, status code and request id. */
export function serviceErrorCause(service: ServiceName, error: unknown): string {
  const sdk = readSdkError(error);
  if (sdk.statusCode === undefined) {
    return `Unable to execute HTTP request: ${sdk.message}`;
  }
  const code = sdk.name;
  return service === "DynamoDB"
    ? `${sdk.message} (Service: AmazonDynamoDBv2; Status Code: ${sdk.statusCode}; Error Code: ${code}; Request ID: ${sdk.requestId ?? "local"}; Proxy: null)`
    : `${sdk.message} (Service: S3, Status Code: ${sdk.statusCode}, Request ID: ${sdk.requestId ?? "local"})`;
}

export function serviceError(service: ServiceName, error: unknown): TaskError {
  return new TaskError(serviceErrorName(service, error), serviceErrorCause(service, error));
}

/** The stack down to the handler: frames of the local runtime below it are not what Lambda would show. */
function handlerFrames(stack: string): string[] {
  const lines = stack.split("\n");
  const firstRuntimeFrame = lines.findIndex((line) => /[\\/]local[\\/]lambda-invoker\.|aws-local-stepfunctions/.test(line));
  return firstRuntimeFrame === -1 ? lines : lines.slice(0, firstRuntimeFrame);
}

/**
 * What Lambda reports when a Node.js handler throws: `Error` is the thrown error's `name` and `Cause`
 * is the JSON string `{"errorType","errorMessage","trace"}`, exactly as Step Functions shows it.
 */
export function lambdaError(thrown: unknown): TaskError {
  const errorType = thrown instanceof Error && thrown.name ? thrown.name : "Error";
  const errorMessage = thrown instanceof Error ? thrown.message : String(thrown);
  const trace = thrown instanceof Error && typeof thrown.stack === "string" ? handlerFrames(thrown.stack) : [];
  return new TaskError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

/** The error Step Functions reports when a Lambda function runs past its configured timeout. */
export function lambdaTimeoutError(requestId: string, timeoutMs: number, now: Date = new Date()): TaskError {
  const seconds = (timeoutMs / 1000).toFixed(2);
  return new TaskError(
    "Sandbox.Timedout",
    JSON.stringify({ errorMessage: `${now.toISOString()} ${requestId} Task timed out after ${seconds} seconds` }),
  );
}
