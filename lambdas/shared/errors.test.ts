import assert from "node:assert/strict";
import { ERROR_NAMES } from "./contracts";
import { CountMismatch, IngestError, InputNotFound, InvalidEvent, InvalidInputFile, TransientDependencyError } from "./errors";

const CASES: Array<[new (message: string, options?: { cause?: unknown }) => IngestError, string, boolean]> = [
  [InvalidInputFile, ERROR_NAMES.invalidInputFile, false],
  [InputNotFound, ERROR_NAMES.inputNotFound, false],
  [InvalidEvent, ERROR_NAMES.invalidEvent, false],
  [TransientDependencyError, ERROR_NAMES.transient, true],
  [CountMismatch, ERROR_NAMES.countMismatch, false],
];

describe("error hierarchy", () => {
  for (const [ErrorClass, name, retryable] of CASES) {
    it(`${name} carries the name Step Functions matches, keeps its cause and is ${retryable ? "" : "not "}retryable`, () => {
      const cause = new Error("root");
      const error = new ErrorClass("what went wrong", { cause });
      assert.equal(error.name, name);
      assert.equal(error.message, "what went wrong");
      assert.equal(error.cause, cause);
      assert.equal(error.retryable, retryable);
      assert.ok(error instanceof IngestError && error instanceof Error);
      assert.match(String(error.stack), new RegExp(`^${name}: what went wrong`));
    });
  }

  it("covers every name in ERROR_NAMES", () => {
    assert.deepEqual(CASES.map(([, name]) => name).sort(), Object.values(ERROR_NAMES).sort());
  });
});
