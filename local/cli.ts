import { statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { releaseVersion } from "../infra/release";
import { buildBundles, DIST_DIR, HANDLER_NAMES } from "../infra/shared/bundling";
import { parseCliArgs, USAGE, type RunArgs } from "./cli-args";
import { startEmulators } from "./emulators";
import { validateFaults } from "./faults";
import { finalRecord, formatEvent, formatSummary } from "./format";
import { deriveJobId } from "./job-id";
import { localDefinition, noRetryWaits, runJob } from "./runtime";
import { taskStates } from "./task-map";
import { bundlePath } from "./lambda-invoker";
import { uploadInput } from "./upload";

/** The file `npm start` runs with no argument: a few good orders and a few bad rows. */
export const SAMPLE_FILE = join(__dirname, "samples", "orders.csv");

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly cwd: string;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
};

class UsageError extends Error {}

function checkInputFile(file: string): void {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new UsageError(`file not found: ${file}; pass the path of a CSV or JSON Lines file, or no file for the shipped sample`);
  }
  if (!stat.isFile()) {
    throw new UsageError(`${file} is not a regular file; pass the path of a CSV or JSON Lines file`);
  }
}

function checkBundles(dir: string): void {
  const missing = HANDLER_NAMES.map((name) => bundlePath(name, dir)).filter((file) => {
    try {
      return !statSync(file).isFile();
    } catch {
      return true;
    }
  });
  if (missing.length > 0) {
    throw new UsageError(`--bundles ${dir} lacks ${missing.join(", ")}; point it at a folder holding lambdas/<name>/index.js, as \`npm run build\` writes to dist/`);
  }
}

function checkFaults(args: RunArgs): void {
  const { definition } = localDefinition({ region: "us-east-1", tableName: "local" });
  try {
    validateFaults(args.faults, taskStates(definition).map((t) => t.name));
  } catch (error) {
    throw new UsageError(`--fault: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function run(args: RunArgs, io: CliIo): Promise<number> {
  const file = resolve(io.cwd, args.file ?? SAMPLE_FILE);
  checkInputFile(file);
  checkFaults(args);
  const distDir = args.bundles === undefined ? DIST_DIR : resolve(io.cwd, args.bundles);
  if (args.bundles !== undefined) checkBundles(distDir);
  const jobId = args.jobId ?? (await deriveJobId(file));
  // With --json, stdout carries only the final record; progress goes to stderr.
  const progress = args.json ? io.err : io.out;
  progress(`batch-ingest local run of ${relative(io.cwd, file) || file} as job ${jobId}`);

  let t = Date.now();
  if (args.bundles === undefined) {
    await buildBundles();
    progress(`  bundled the handlers into dist/ in ${Date.now() - t} ms`);
  } else {
    progress(`  running the bundles in ${relative(io.cwd, distDir) || distDir}`);
  }
  t = Date.now();
  const emulators = await startEmulators();
  try {
    progress(`  started s3rver (${emulators.s3Endpoint}) and dynalite (${emulators.dynamoEndpoint}) in ${Date.now() - t} ms`);
    const input = await uploadInput(emulators, file, jobId);
    progress(`  uploaded ${input.sizeBytes} bytes to s3://${input.bucket}/${input.key}\n`);
    const startedAt = Date.now();
    const result = await runJob({
      emulators,
      input: { bucket: input.bucket, key: input.key, jobId },
      distDir,
      faults: args.faults,
      retryIntervalOverrides: args.noRetryWait ? noRetryWaits() : undefined,
      env: {
        POWERTOOLS_LOG_LEVEL: args.verbose ? "DEBUG" : "WARN",
        // The same version the Pulumi program gives the deployed report handler.
        RELEASE_VERSION: releaseVersion(),
        // Each bundle carries its own SDK; on Node 20 each would repeat the warning the runtime's SDK already gave.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
      onEvent: (event) => {
        const line = formatEvent(event, startedAt);
        if (line) progress(line);
      },
    });
    progress(formatSummary(result, jobId));
    if (args.json) io.out(JSON.stringify(finalRecord(result, jobId)));
    return result.status === "SUCCEEDED" ? 0 : 1;
  } finally {
    await emulators.stop();
  }
}

/** Runs the command line and returns the exit status: 0 SUCCEEDED, 1 FAILED, 2 usage error. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.kind === "help") {
    io.out(USAGE);
    return 0;
  }
  if (args.kind === "usage-error") {
    io.err(`error: ${args.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    // The job never ran to an outcome (bundling or an emulator failed): still one clear line.
    const cause = error instanceof Error ? error.message : String(error);
    io.err(`error: the local runtime could not run the job: ${cause}`);
    if (args.json) io.out(JSON.stringify({ status: "FAILED", error: "LocalRuntimeError", cause }));
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    // Exit explicitly: a handler that timed out may still hold timers; flush stdout first.
    (code) => process.stdout.write("", () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
}
