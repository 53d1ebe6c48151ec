import { strict as assert } from "node:assert";
import { HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readDefinitionTemplate } from "../step-functions/ingest/definition";
import { startEmulators, type Emulators } from "./emulators";
import type { RuntimeEvent } from "./execution-log";
import type { Fault } from "./faults";
import { finalRecord } from "./format";
import { executionArn, functionArn, noRetryWaits, runJob, type RunJobOptions } from "./runtime";
import { takeStandInCalls, writeStandInBundles } from "./stand-in-bundles";

const HAPPY_PATH = ["RecordJobStarted", "Validate", "Transform", "Load", "Report", "ArchiveInput", "RemoveInput", "RecordJobSucceeded"];

describe("local runtime (stand-in handlers)", () => {
  let emu: Emulators;
  let distDir: string;
  let seq = 0;

  before(async () => {
    emu = await startEmulators({ bucket: "runtime-test", tableName: "runtime-test-state" });
    distDir = writeStandInBundles();
  });
  after(async () => {
    await emu?.stop();
  });
  beforeEach(() => {
    takeStandInCalls();
  });

  /** Uploads an input object and runs one job on it with the stand-ins and no retry waits. */
  async function run(keyName = "orders.csv", options: Partial<RunJobOptions> = {}) {
    const jobId = `job-${++seq}`;
    const key = `incoming/${seq}-${keyName}`;
    await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: "orderId\n1\n" }));
    const result = await runJob({ emulators: emu, input: { bucket: emu.bucket, key, jobId }, distDir, retryIntervalOverrides: noRetryWaits(), ...options });
    return { jobId, key, result };
  }

  async function exists(key: string): Promise<boolean> {
    return emu.s3.send(new HeadObjectCommand({ Bucket: emu.bucket, Key: key })).then(
      () => true,
      () => false,
    );
  }

  it("runs every state of the real definition in order and records SUCCEEDED with the report's counts", async () => {
    const { jobId, key, result } = await run();
    assert.equal(result.status, "SUCCEEDED");
    assert.deepEqual(result.states.map((s) => s.name), HAPPY_PATH);
    assert.ok(result.states.every((s) => s.outcome === "succeeded" && s.attempts === 1 && s.durationMs >= 0 && !Number.isNaN(Date.parse(s.enteredAt))));
    const { startedAt, finishedAt, ...record } = result.jobRecord ?? {};
    assert.deepEqual(record, {
      PK: `JOB#${jobId}`, SK: "JOB", entity: "job", jobId, status: "SUCCEEDED", bucket: emu.bucket, key,
      executionArn: executionArn(emu.region, jobId), total: 3, loaded: 2, rejected: 1,
      reportKey: `reports/${jobId}.json`, archiveKey: key.replace("incoming/", "archive/"), version: "stand-in",
    });
    assert.ok(typeof startedAt === "string" && typeof finishedAt === "string" && Date.parse(finishedAt) >= Date.parse(startedAt));
    assert.deepEqual([await exists(key), await exists(key.replace("incoming/", "archive/"))], [false, true]);
  });

  it("gives each handler a Lambda-like context, a JSON copy of its event and the emulators' environment", async () => {
    const { jobId } = await run();
    const calls = takeStandInCalls();
    assert.deepEqual(calls.map((c) => c.name), ["validate", "transform", "load", "report"]);
    const timeouts = { validate: 60_000, transform: 900_000, load: 900_000, report: 60_000 };
    for (const call of calls) {
      assert.equal(call.context.functionName, `batch-ingest-local-${call.name}`);
      assert.equal(call.context.invokedFunctionArn, functionArn(emu.region, call.name));
      assert.match(call.context.awsRequestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      // Bounds, not timings: the remaining time counts down from this function's own timeout.
      assert.ok(call.context.remainingMs <= timeouts[call.name] && call.context.remainingMs > timeouts[call.name] / 2, `${call.name}: ${call.context.remainingMs}`);
      assert.equal(call.tableName, "runtime-test-state");
      assert.equal(call.event.jobId, jobId);
    }
    assert.equal(new Set(calls.map((c) => c.context.awsRequestId)).size, 4);
  });

  it("reports a handler's thrown error by its name with Lambda's JSON cause, and records FAILED", async () => {
    const { result } = await run("throw-InvalidInputFile.csv");
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "InvalidInputFile");
    const cause = JSON.parse(result.cause ?? "") as { errorType: string; errorMessage: string };
    assert.equal(cause.errorType, "InvalidInputFile");
    assert.match(cause.errorMessage, /^stand-in failure for incoming\/\d+-throw-InvalidInputFile\.csv$/);
    assert.deepEqual([result.jobRecord?.status, result.jobRecord?.error, result.jobRecord?.cause], ["FAILED", "InvalidInputFile", result.cause]);
    assert.deepEqual(result.states.map((s) => [s.name, s.outcome, s.attempts]), [
      ["RecordJobStarted", "succeeded", 1],
      ["Validate", "caught", 1],
      ["RecordJobFailed", "succeeded", 1],
      ["JobFailed", "failed", 1],
    ]);
  });

  it("fails a handler that runs past its function timeout with Sandbox.Timedout", async () => {
    const { result } = await run("sleep.csv", { functionTimeoutsMs: { validate: 50 } });
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "Sandbox.Timedout");
    assert.match(result.cause ?? "", /Task timed out after 0\.05 seconds/);
  });

  const faultCases: Array<{ fault: Fault; status: "SUCCEEDED" | "FAILED"; attempts: number; error?: string }> = [
    { fault: { state: "RecordJobStarted", error: "DynamoDB.ProvisionedThroughputExceededException", times: 2 }, status: "SUCCEEDED", attempts: 3 },
    { fault: { state: "Validate", error: "TransientDependencyError", times: 1 }, status: "SUCCEEDED", attempts: 2 },
    { fault: { state: "ArchiveInput", error: "S3.SlowDownException", times: 4 }, status: "SUCCEEDED", attempts: 5 },
    { fault: { state: "Load", error: "TransientDependencyError", times: 1, when: "after" }, status: "SUCCEEDED", attempts: 2 },
    { fault: { state: "ArchiveInput", error: "S3.SlowDownException", times: Infinity }, status: "FAILED", attempts: 6, error: "S3.SlowDownException" },
    { fault: { state: "Transform", error: "InvalidInputFile", times: 1 }, status: "FAILED", attempts: 1, error: "InvalidInputFile" },
    { fault: { state: "RemoveInput", error: "S3.AccessDeniedException", times: 1 }, status: "FAILED", attempts: 1, error: "S3.AccessDeniedException" },
  ];
  for (const { fault, status, attempts, error } of faultCases) {
    const times = fault.times === Infinity ? "every attempt" : `${fault.times}x`;
    it(`${status === "SUCCEEDED" ? "recovers from" : "fails on"} ${fault.error} in ${fault.state} (${times}${fault.when === "after" ? ", after the call" : ""}) after ${attempts} attempt(s)`, async () => {
      const { result } = await run("orders.csv", { faults: [fault] });
      assert.equal(result.status, status);
      assert.equal(result.jobRecord?.status, status);
      assert.equal(result.states.find((s) => s.name === fault.state)?.attempts, attempts);
      assert.equal(result.error, error);
      if (fault.when === "after") {
        assert.equal(takeStandInCalls().filter((c) => c.name === "load").length, 2, "the real handler ran on both attempts");
      }
    });
  }

  it("keeps the original error when recording the failure fails too, so the job never reads as a success", async () => {
    const { jobId, result } = await run("throw-InvalidInputFile.csv", {
      faults: [{ state: "RecordJobFailed", error: "DynamoDB.InternalServerError", times: Infinity }],
    });
    assert.equal(result.status, "FAILED");
    assert.equal(result.error, "InvalidInputFile");
    assert.equal(result.jobRecord?.status, "RUNNING");
    assert.equal(finalRecord(result, jobId).status, "FAILED");
  });

  it("reports every state entered and exited, in order, to onEvent", async () => {
    const events: RuntimeEvent[] = [];
    await run("orders.csv", { onEvent: (e) => events.push(e), faults: [{ state: "Validate", error: "TransientDependencyError" }] });
    const steps = events.map((e) => ("state" in e ? `${e.type}:${e.state}` : e.type));
    assert.deepEqual(steps.slice(0, 7), [
      "StateEntered:RecordJobStarted", "StateExited:RecordJobStarted",
      "StateEntered:Validate", "StateFailed:Validate", "StateRetried:Validate", "StateExited:Validate",
      "StateEntered:Transform",
    ]);
    assert.equal(steps.at(-1), "ExecutionSucceeded");
    assert.equal(steps.filter((s) => s.startsWith("StateEntered")).length, HAPPY_PATH.length);
  });

  it("sets the handlers' environment while a job runs and restores process.env afterwards", async () => {
    const before = { TABLE_NAME: process.env.TABLE_NAME, AWS_ENDPOINT_URL_S3: process.env.AWS_ENDPOINT_URL_S3 };
    await run();
    assert.equal(takeStandInCalls()[0]?.tableName, "runtime-test-state");
    assert.deepEqual({ TABLE_NAME: process.env.TABLE_NAME, AWS_ENDPOINT_URL_S3: process.env.AWS_ENDPOINT_URL_S3 }, before);
  });

  it("refuses a definition with a Task it cannot run, naming the state and the resource", async () => {
    const template = JSON.parse(readDefinitionTemplate()) as { States: Record<string, Record<string, unknown>> };
    template.States.RecordJobSucceeded.Next = "Notify";
    delete template.States.RecordJobSucceeded.End;
    template.States.Notify = { Type: "Task", Resource: "arn:aws:states:::sns:publish", Parameters: { Message: "done" }, End: true };
    await assert.rejects(run("orders.csv", { definition: JSON.stringify(template) }), /Task state "Notify" has Resource "arn:aws:states:::sns:publish", which the local runtime cannot run/);
  });

  it("refuses a fault on a state that is not a Task of the definition", async () => {
    await assert.rejects(run("orders.csv", { faults: [{ state: "JobFailed", error: "X" }] }), /faults\[0\]\.state is "JobFailed"/);
  });

  it("says how to build the bundles when they are missing", async () => {
    await assert.rejects(run("orders.csv", { distDir: mkdtempSync(join(tmpdir(), "no-bundles-")) }), /bundle .*validate.index\.js is missing: run `npm run build`/);
  });
});
