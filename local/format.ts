import type { RuntimeEvent } from "./execution-log";
import type { JobResult } from "./runtime";

const NAME_WIDTH = 20;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/** Lambda causes are JSON (`{"errorType","errorMessage",...}`); people want the message. */
export function readableCause(cause: string): string {
  try {
    const parsed: unknown = JSON.parse(cause);
    if (parsed !== null && typeof parsed === "object" && typeof (parsed as { errorMessage?: unknown }).errorMessage === "string") {
      return (parsed as { errorMessage: string }).errorMessage;
    }
  } catch {
    // Not JSON: a service integration's cause is already prose.
  }
  return cause;
}

/**
 * One line per step of the execution, stamped with the time since the run started:
 * `+0.012s  enter RecordJobStarted` / `+0.031s  exit  RecordJobStarted      19 ms`.
 */
export function formatEvent(event: RuntimeEvent, startedAt: number): string | undefined {
  const stamp = `+${seconds(event.at - startedAt)}`.padStart(9);
  switch (event.type) {
    case "StateEntered":
      return `${stamp}  enter ${event.state}`;
    case "StateExited":
      return `${stamp}  exit  ${event.state.padEnd(NAME_WIDTH)} ${String(event.durationMs).padStart(6)} ms`;
    case "StateFailed":
      return `${stamp}  fail  ${event.state.padEnd(NAME_WIDTH)} attempt ${event.attempt}: ${event.error}: ${readableCause(event.cause)}`;
    case "StateRetried":
      return `${stamp}  retry ${event.state.padEnd(NAME_WIDTH)} attempt ${event.attempt}`;
    case "StateCaught":
      return `${stamp}  catch ${event.state.padEnd(NAME_WIDTH)} -> ${event.next}`;
    default:
      return undefined;
  }
}

/**
 * The object `--json` prints: the job record read back from the table, with the execution's own
 * status (a record can lag behind a failure, and a failed job must never read as a success) and,
 * for a failure, the execution's error and cause.
 */
export function finalRecord(result: JobResult, jobId: string): Record<string, unknown> {
  const record = result.jobRecord ?? { jobId };
  const { status: _recorded, ...rest } = record;
  if (result.status === "SUCCEEDED") {
    return { status: "SUCCEEDED", ...rest };
  }
  return { status: "FAILED", ...rest, error: result.error ?? rest.error, cause: result.cause ?? rest.cause };
}

/** The closing lines of a human-readable run. */
export function formatSummary(result: JobResult, jobId: string): string {
  const record = finalRecord(result, jobId);
  const lines = [""];
  if (result.status === "SUCCEEDED") {
    lines.push(`Job ${jobId} SUCCEEDED in ${seconds(result.durationMs)}: ${String(record.total)} rows, ${String(record.loaded)} loaded, ${String(record.rejected)} rejected`);
  } else {
    lines.push(`Job ${jobId} FAILED in ${seconds(result.durationMs)}: ${result.error ?? "Error"}: ${readableCause(result.cause ?? "")}`);
  }
  lines.push(result.jobRecord ? "Job record read back from the table:" : "No job record was written to the table.");
  if (result.jobRecord) lines.push(JSON.stringify(result.jobRecord, null, 2));
  return lines.join("\n");
}
