import { ERROR_NAMES } from "./contracts";

/**
 * Base of every error a handler throws on purpose. `name` is what Lambda reports as `errorType`
 * and what Step Functions matches in `ErrorEquals`, so each subclass sets it explicitly from
 * `ERROR_NAMES` instead of relying on the class name, which minifiers may rename.
 */
export abstract class IngestError extends Error {
  /** Whether the state machine retries this error (only `TransientDependencyError`). */
  abstract readonly retryable: boolean;

  protected constructor(name: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
  }
}

/** The input can never succeed as it is: empty, too big, binary, wrong format, missing columns. */
export class InvalidInputFile extends IngestError {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_NAMES.invalidInputFile, message, options);
  }
}

/** The object the event names does not exist. */
export class InputNotFound extends IngestError {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_NAMES.inputNotFound, message, options);
  }
}

/** The event is malformed: a field is missing or has the wrong shape. */
export class InvalidEvent extends IngestError {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_NAMES.invalidEvent, message, options);
  }
}

/** A dependency failed in a way a retry can fix: throttling, a 5xx, a dropped connection. */
export class TransientDependencyError extends IngestError {
  readonly retryable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_NAMES.transient, message, options);
  }
}

/** Counts do not add up, so some row would be lost or duplicated. */
export class CountMismatch extends IngestError {
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_NAMES.countMismatch, message, options);
  }
}
