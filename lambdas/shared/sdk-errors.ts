import { IngestError, InputNotFound, TransientDependencyError } from "./errors";

/** Error names AWS services use for throttling and short outages; a retry later can succeed. */
const TRANSIENT_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "ThrottledException",
  "RequestThrottled",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "RequestLimitExceeded",
  "SlowDown",
  "ServiceUnavailable",
  "InternalError",
  "InternalServerError",
  "InternalServerErrorException",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
]);

/** Node's codes for a connection that failed or dropped before a response arrived. */
const NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "ECONNABORTED", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** S3 says `NoSuchKey` for GetObject and a bare `NotFound` (404 without a body) for HeadObject. */
const NOT_FOUND_NAMES = new Set(["NoSuchKey", "NotFound"]);

/** What the failed call was about, so the translated message names the object. */
export interface SdkCallContext {
  /** The operation, e.g. `GetObject s3://bucket/key`. */
  readonly operation: string;
}

function field(error: object, name: string): unknown {
  return (error as Record<string, unknown>)[name];
}

function httpStatus(error: object): number | undefined {
  const metadata = field(error, "$metadata");
  if (typeof metadata !== "object" || metadata === null) return undefined;
  const status = field(metadata, "httpStatusCode");
  return typeof status === "number" ? status : undefined;
}

export function isTransientSdkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TRANSIENT_NAMES.has(error.name)) return true;
  const code = field(error, "code");
  if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
  // The SDK marks errors its own retry strategy would retry (throttling, transient, clock skew).
  if (field(error, "$retryable") !== undefined) return true;
  const status = httpStatus(error);
  return status !== undefined && status >= 500;
}

export function isNotFoundSdkError(error: unknown): boolean {
  return error instanceof Error && NOT_FOUND_NAMES.has(error.name);
}

/**
 * Maps the SDK errors a handler knows how to handle onto the error hierarchy:
 * throttling, 5xx and network failures become `TransientDependencyError` (the state machine retries
 * those), a missing object becomes `InputNotFound`. Our own errors and every other error are returned
 * unchanged, so an unknown failure keeps its original name and stack.
 */
export function translateSdkError(error: unknown, context: SdkCallContext): unknown {
  if (error instanceof IngestError) return error;
  if (isNotFoundSdkError(error)) {
    return new InputNotFound(`${context.operation}: the object does not exist; upload it again or check the bucket and key`, { cause: error });
  }
  if (isTransientSdkError(error)) {
    const name = error instanceof Error ? error.name : "Error";
    const message = error instanceof Error ? error.message : String(error);
    return new TransientDependencyError(`${context.operation} failed with ${name}: ${message}; the workflow retries this`, { cause: error });
  }
  return error;
}

/** Runs one SDK call and throws its translated error on failure. */
export async function callSdk<T>(context: SdkCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateSdkError(error, context);
  }
}
