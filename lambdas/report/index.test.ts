import assert from "node:assert/strict";
import type { ReportEvent } from "../shared/contracts";
import { startHandlerEnv, type HandlerTestEnv } from "../testing/handler-env";

type ReportModule = typeof import("./index");

const NOW = new Date("2024-05-01T10:00:05.000Z");

function reportEvent(jobId: string, counts: { total: number; valid: number; rejected: number; loaded: number }, bucket: string): ReportEvent {
  return {
    bucket,
    key: "incoming/orders.csv",
    jobId,
    startedAt: "2024-05-01T10:00:00.000Z",
    validation: { format: "csv", sizeBytes: 1234, etag: "abc", columns: ["orderId"], archiveKey: "archive/orders.csv", copySource: `${bucket}/incoming/orders.csv`, durationMs: 40 },
    transform: {
      total: counts.total,
      valid: counts.valid,
      rejected: counts.rejected,
      processedKey: `processed/${jobId}.jsonl`,
      rejectedKey: `rejected/${jobId}.jsonl`,
      reasons: { invalid_amount: 2, invalid_currency: 1 },
      durationMs: 900,
    },
    load: { loaded: counts.loaded, batches: 1, retriedItems: 0, durationMs: 300 },
  };
}

describe("report handler (on the emulators)", function () {
  let env: HandlerTestEnv;
  let report: ReportModule;

  before(async () => {
    env = await startHandlerEnv({ RELEASE_VERSION: "1.4.2" });
    report = env.load<ReportModule>("report");
  });
  after(() => env?.stop());

  it("writes reports/<jobId>.json with counts, reasons, durations and the release, and returns its summary", async () => {
    const result = await report.writeReport(reportEvent("rep-1", { total: 10, valid: 7, rejected: 3, loaded: 7 }, env.bucket), { version: "2.0.0", now: () => NOW });
    assert.deepEqual(result, {
      jobId: "rep-1",
      reportKey: "reports/rep-1.json",
      total: 10,
      loaded: 7,
      rejected: 3,
      reasons: { invalid_amount: 2, invalid_currency: 1 },
      version: "2.0.0",
      startedAt: "2024-05-01T10:00:00.000Z",
      finishedAt: "2024-05-01T10:00:05.000Z",
    });
    const written = JSON.parse((await env.get("reports/rep-1.json"))?.toString("utf8") ?? "null") as Record<string, unknown>;
    assert.deepEqual(written.counts, { total: 10, valid: 7, loaded: 7, rejected: 3 });
    assert.deepEqual(written.durationsMs, { validate: 40, transform: 900, load: 300, total: 5000 });
    assert.deepEqual(written.outputs, { processedKey: "processed/rep-1.jsonl", rejectedKey: "rejected/rep-1.jsonl", reportKey: "reports/rep-1.json" });
    assert.deepEqual(written.input, { bucket: env.bucket, key: "incoming/orders.csv", format: "csv", sizeBytes: 1234, etag: "abc", archiveKey: "archive/orders.csv" });
    assert.equal(written.version, "2.0.0");
  });

  it("fails with CountMismatch and writes no report when rows are unaccounted for", async () => {
    const e = reportEvent("rep-2", { total: 10, valid: 7, rejected: 3, loaded: 6 }, env.bucket);
    await assert.rejects(report.writeReport(e, { version: "x", now: () => NOW }), (err: Error) => {
      assert.equal(err.name, "CountMismatch");
      assert.match(err.message, /10 rows read but 6 loaded \+ 3 rejected = 9/);
      return true;
    });
    assert.equal(await env.get("reports/rep-2.json"), undefined);
  });

  it("handler takes the version from RELEASE_VERSION, and finishedAt is now", async () => {
    const before = Date.now();
    const result = await report.handler(reportEvent("rep-3", { total: 1, valid: 1, rejected: 0, loaded: 1 }, env.bucket));
    assert.equal(result.version, "1.4.2");
    assert.ok(Date.parse(result.finishedAt) >= before);
  });

  it("falls back to version 0.0.0-local when RELEASE_VERSION is unset", () => {
    assert.equal(report.reportConfigFromEnv({}).version, "0.0.0-local");
  });

  it("handler fails an event without the load result with InvalidEvent", async () => {
    const { load: _load, ...partial } = reportEvent("rep-4", { total: 1, valid: 1, rejected: 0, loaded: 1 }, env.bucket);
    await assert.rejects(report.handler(partial), (err: Error) => err.name === "InvalidEvent" && /load is missing/.test(err.message));
  });
});
