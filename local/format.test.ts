import { strict as assert } from "node:assert";
import { finalRecord, formatEvent, readableCause } from "./format";
import type { JobResult } from "./runtime";

function result(partial: Partial<JobResult>): JobResult {
  return { status: "SUCCEEDED", jobRecord: undefined, states: [], executionArn: "arn", durationMs: 1, ...partial };
}

describe("run output", () => {
  it("prints the job record of a success with its counts", () => {
    const record = { jobId: "j", status: "SUCCEEDED", total: 5, loaded: 3, rejected: 2 };
    assert.deepEqual(finalRecord(result({ jobRecord: record }), "j"), { status: "SUCCEEDED", jobId: "j", total: 5, loaded: 3, rejected: 2 });
  });

  const failures: Array<[string, Record<string, unknown> | undefined, Record<string, unknown>]> = [
    [
      "a recorded failure",
      { jobId: "j", status: "FAILED", error: "InvalidInputFile", cause: "c" },
      { status: "FAILED", jobId: "j", error: "InvalidInputFile", cause: "c" },
    ],
    ["a failure the table never saw (record still RUNNING)", { jobId: "j", status: "RUNNING" }, { status: "FAILED", jobId: "j", error: "InvalidInputFile", cause: "c" }],
    ["a failure before any record was written", undefined, { status: "FAILED", jobId: "j", error: "InvalidInputFile", cause: "c" }],
  ];
  for (const [what, jobRecord, expected] of failures) {
    it(`prints ${what} as FAILED with the execution's error and cause`, () => {
      assert.deepEqual(finalRecord(result({ status: "FAILED", error: "InvalidInputFile", cause: "c", jobRecord }), "j"), expected);
    });
  }

  it("shows the message of a Lambda cause and prose causes as they are", () => {
    assert.equal(readableCause(JSON.stringify({ errorType: "E", errorMessage: "header lacks amount", trace: [] })), "header lacks amount");
    assert.equal(readableCause("The specified key does not exist. (Service: S3)"), "The specified key does not exist. (Service: S3)");
    assert.equal(readableCause('{"other":1}'), '{"other":1}');
  });

  it("stamps each step with the time since the start and shows durations, retries and catches", () => {
    const t0 = 1_000_000;
    assert.equal(formatEvent({ type: "StateEntered", state: "Validate", stateType: "Task", at: t0 + 12 }, t0), "  +0.012s  enter Validate");
    assert.equal(formatEvent({ type: "StateExited", state: "Validate", stateType: "Task", at: t0 + 1500, durationMs: 1488 }, t0), `  +1.500s  exit  ${"Validate".padEnd(20)}   1488 ms`);
    assert.match(formatEvent({ type: "StateFailed", state: "Load", at: t0, attempt: 2, error: "TransientDependencyError", cause: '{"errorMessage":"throttled"}' }, t0) ?? "", /fail {2}Load {2,}attempt 2: TransientDependencyError: throttled$/);
    assert.match(formatEvent({ type: "StateCaught", state: "Load", at: t0, next: "RecordJobFailed" }, t0) ?? "", /catch Load {2,}-> RecordJobFailed$/);
    assert.equal(formatEvent({ type: "ExecutionSucceeded", at: t0 }, t0), undefined);
  });
});
