import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HANDLER_NAMES, type HandlerName } from "../infra/shared/bundling";

/**
 * Tiny stand-in handlers that honour the payload contract of `lambdas/shared/contracts.ts`, so the
 * runtime's own behaviour (context, errors, timeouts, faults) is tested apart from the real handlers.
 * Each records its calls on `globalThis.__standInCalls`. The input key steers them:
 * `throw-<Name>` makes validate throw an error named <Name>; `sleep` makes validate never return.
 */
const SOURCES: Record<HandlerName, string> = {
  validate: `
    exports.handler = async (event, context) => {
      record("validate", event, context);
      const m = /throw-([A-Za-z]+)/.exec(event.key);
      if (m) { const e = new Error("stand-in failure for " + event.key); e.name = m[1]; throw e; }
      if (event.key.includes("sleep")) await new Promise(() => {});
      return { format: "csv", sizeBytes: 1, etag: "e", columns: ["orderId"],
        archiveKey: event.key.replace(/^incoming\\//, "archive/"), copySource: event.bucket + "/" + event.key };
    };`,
  transform: `
    exports.handler = async (event, context) => {
      record("transform", event, context);
      return { total: 3, valid: 2, rejected: 1, processedKey: "processed/" + event.jobId + ".jsonl",
        rejectedKey: "rejected/" + event.jobId + ".jsonl", reasons: { invalid_amount: 1 }, durationMs: 1 };
    };`,
  load: `
    exports.handler = async (event, context) => {
      record("load", event, context);
      return { loaded: event.expected, batches: 1, retriedItems: 0, durationMs: 1 };
    };`,
  report: `
    exports.handler = async (event, context) => {
      record("report", event, context);
      return { jobId: event.jobId, reportKey: "reports/" + event.jobId + ".json", total: event.transform.total,
        loaded: event.load.loaded, rejected: event.transform.rejected, reasons: event.transform.reasons,
        version: "stand-in", startedAt: event.startedAt, finishedAt: new Date().toISOString() };
    };`,
};

const PRELUDE = `
  function record(name, event, context) {
    (globalThis.__standInCalls = globalThis.__standInCalls || []).push({ name, event, tableName: process.env.TABLE_NAME, context: {
      functionName: context.functionName, invokedFunctionArn: context.invokedFunctionArn,
      awsRequestId: context.awsRequestId, remainingMs: context.getRemainingTimeInMillis() } });
  }`;

export interface StandInCall {
  readonly name: HandlerName;
  readonly event: Record<string, unknown>;
  readonly tableName: string | undefined;
  readonly context: { functionName: string; invokedFunctionArn: string; awsRequestId: string; remainingMs: number };
}

/** Writes the stand-ins to a fresh `<tmp>/lambdas/<name>/index.js` and returns that dist folder. */
export function writeStandInBundles(): string {
  const dist = mkdtempSync(join(tmpdir(), "batch-ingest-stand-ins-"));
  for (const name of HANDLER_NAMES) {
    mkdirSync(join(dist, "lambdas", name), { recursive: true });
    writeFileSync(join(dist, "lambdas", name, "index.js"), `"use strict";${PRELUDE}\n${SOURCES[name]}\n`);
  }
  return dist;
}

/** Returns and clears the calls the stand-ins recorded. */
export function takeStandInCalls(): StandInCall[] {
  const holder = globalThis as { __standInCalls?: StandInCall[] };
  const calls = holder.__standInCalls ?? [];
  holder.__standInCalls = [];
  return calls;
}
