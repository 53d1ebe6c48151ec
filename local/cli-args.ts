import { parseArgs } from "node:util";
import type { Fault } from "./faults";
import { JOB_ID_PATTERN } from "./job-id";

export const USAGE = `Usage: npm start -- [options] [file]

Runs the batch-ingest workflow locally: bundles the handlers, starts S3 and DynamoDB emulators,
uploads the file under incoming/, runs the real state machine definition and prints each state.

Arguments:
  file                 CSV or JSON Lines file to ingest (default: local/samples/orders.csv)

Options:
  --json               print the final job record as one JSON object, the last line of stdout
  --job-id <id>        job id, [A-Za-z0-9_-]{1,128} (default: from the file's name and contents)
  --fault <s:e[:n]>    make Task state <s> fail with error <e>, <n> times (default 1, * = always);
                       repeatable, e.g. --fault ArchiveInput:S3.SlowDownException:2
  --no-retry-wait      retry at once instead of waiting the definition's backoff
  --bundles <dir>      run the bundles already in <dir>/lambdas/<name>/index.js (e.g. a release
                       artifact) instead of building them into dist/
  --verbose            show the handlers' own log lines
  -h, --help           show this help

Exit status: 0 job SUCCEEDED, 1 job FAILED, 2 usage error.`;

export interface RunArgs {
  readonly kind: "run";
  /** The file to ingest; undefined means the shipped sample. */
  readonly file: string | undefined;
  readonly json: boolean;
  readonly jobId: string | undefined;
  readonly faults: readonly Fault[];
  readonly noRetryWait: boolean;
  readonly verbose: boolean;
  /** A folder of prebuilt bundles; undefined means build into dist/ first. */
  readonly bundles: string | undefined;
}

export type CliArgs = RunArgs | { readonly kind: "help" } | { readonly kind: "usage-error"; readonly message: string };

function usageError(message: string): CliArgs {
  return { kind: "usage-error", message };
}

/** `ArchiveInput:S3.SlowDownException:2` -> a fault; a string naming the problem when malformed. */
export function parseFault(text: string): Fault | string {
  const parts = text.split(":");
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
    return `--fault "${text}" is not <state>:<error>[:<times>]; e.g. --fault ArchiveInput:S3.SlowDownException:2`;
  }
  const [state, error, timesText] = parts;
  if (timesText === undefined) return { state, error, times: 1 };
  if (timesText === "*") return { state, error, times: Infinity };
  if (!/^[1-9][0-9]{0,5}$/.test(timesText)) {
    return `--fault "${text}" has times "${timesText}"; use a whole number >= 1, or * for every attempt`;
  }
  return { state, error, times: Number(timesText) };
}

/** Parses the command line (without `node` and the script). Never throws: bad input is a usage error. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: "boolean" },
        "job-id": { type: "string" },
        fault: { type: "string", multiple: true },
        "no-retry-wait": { type: "boolean" },
        verbose: { type: "boolean" },
        bundles: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // parseArgs says e.g. "Unknown option '--jsn'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--jsn\"'"
    return usageError(message.split(". To specify")[0].replace(/\.$/, ""));
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (positionals.length > 1) {
    return usageError(`too many arguments: expected at most one file, got ${positionals.length} (${positionals.map((p) => JSON.stringify(p)).join(", ")})`);
  }
  const jobId = values["job-id"];
  if (jobId !== undefined && !JOB_ID_PATTERN.test(jobId)) {
    return usageError(`--job-id "${jobId}" is not 1–128 characters of A–Z, a–z, 0–9, _ or -`);
  }
  const faults: Fault[] = [];
  for (const text of values.fault ?? []) {
    const fault = parseFault(text);
    if (typeof fault === "string") return usageError(fault);
    faults.push(fault);
  }
  return {
    kind: "run",
    file: positionals[0],
    json: values.json ?? false,
    jobId,
    faults,
    noRetryWait: values["no-retry-wait"] ?? false,
    verbose: values.verbose ?? false,
    bundles: values.bundles,
  };
}
