import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveJobId } from "./job-id";
import { ordersJsonl, validOrders } from "./orders-generator";
import { realBundles } from "./real-bundles";
import { releaseVersion } from "../infra/release";

const STATES = ["RecordJobStarted", "Validate", "Transform", "Load", "Report", "ArchiveInput", "RemoveInput", "RecordJobSucceeded"];

/** `npm start -- <argv>`, as package.json runs it. */
function npmStart(argv: string[]) {
  const run = spawnSync(process.execPath, ["--openssl-legacy-provider", "--require", "tsx/cjs", join(__dirname, "cli.ts"), ...argv], {
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = run.stdout.trimEnd().split("\n");
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, lastLine: lines[lines.length - 1] ?? "" };
}

describe("npm start (the command line, end to end)", function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), "cli-e2e-"));
  // Only the first run builds dist/ as `npm start` does; the others run the same bundles built privately.
  let bundles: string;
  before(async function () {
    this.timeout(120_000);
    bundles = await realBundles();
  });

  it("with no file runs the shipped sample, which has bad rows, and --json ends stdout with the job record", () => {
    const run = npmStart(["--json"]);
    assert.equal(run.status, 0, run.stderr);
    const record = JSON.parse(run.lastLine) as Record<string, unknown>;
    assert.equal(record.status, "SUCCEEDED");
    const [total, loaded, rejected] = [record.total, record.loaded, record.rejected].map(Number);
    assert.ok(loaded > 0 && rejected > 0, `the sample loads some rows and rejects a few: ${run.lastLine}`);
    assert.equal(total, loaded + rejected, "every row is loaded or rejected");
    assert.match(String(record.jobId), /^orders-[0-9a-f]{16}$/);
    assert.equal(record.version, releaseVersion(), "the job records the release version, as it does in AWS");
    assert.match(run.stderr, /bundled the handlers into dist\/ in \d+ ms/);
    assert.match(run.stderr, /enter RecordJobStarted/, "with --json the progress goes to stderr");
  });

  it("runs the user's file, printing each state as it enters and exits with timings, a retry, then the job record", async () => {
    const file = join(dir, "mine.jsonl");
    writeFileSync(file, ordersJsonl(validOrders(12)));
    const run = npmStart([file, "--bundles", bundles, "--fault", "ArchiveInput:S3.SlowDownException:1", "--no-retry-wait"]);
    assert.equal(run.status, 0, run.stderr);
    for (const state of STATES) {
      assert.match(run.stdout, new RegExp(`\\+\\d+\\.\\d{3}s  enter ${state}\\n`));
      assert.match(run.stdout, new RegExp(`\\+\\d+\\.\\d{3}s  exit  ${state} +\\d+ ms\\n`));
    }
    assert.match(run.stdout, /fail {2}ArchiveInput +attempt 1: S3\.SlowDownException: S3\.SlowDownException injected by the local runtime/);
    assert.match(run.stdout, /retry ArchiveInput +attempt 2/);
    const jobId = await deriveJobId(file);
    assert.match(run.stdout, new RegExp(`Job ${jobId} SUCCEEDED in \\d+\\.\\d{3}s: 12 rows, 12 loaded, 0 rejected`));
    const record = JSON.parse(run.stdout.split("Job record read back from the table:\n")[1] ?? "") as Record<string, unknown>;
    assert.deepEqual([record.jobId, record.status, record.key, record.total], [jobId, "SUCCEEDED", "incoming/mine.jsonl", 12]);
  });

  it("exits 1 for a job that fails, and --json ends stdout with FAILED, the error and the cause", () => {
    const file = join(dir, "no-amount.csv");
    writeFileSync(file, "orderId,customerId,currency,createdAt\no1,c1,EUR,2024-01-01T00:00:00Z\n");
    const run = npmStart(["--json", "--job-id", "cli-failure", "--bundles", bundles, file]);
    assert.equal(run.status, 1, run.stderr);
    const record = JSON.parse(run.lastLine) as { status: string; jobId: string; error: string; cause: string };
    assert.deepEqual([record.status, record.jobId, record.error], ["FAILED", "cli-failure", "InvalidInputFile"]);
    assert.match((JSON.parse(record.cause) as { errorMessage: string }).errorMessage, /missing the required column amount/);
  });

  it("prints the usage with --help and exits 0", () => {
    const run = npmStart(["--help"]);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /^Usage: npm start -- \[options\] \[file\]/);
    assert.match(run.stdout, /Exit status: 0 job SUCCEEDED, 1 job FAILED, 2 usage error\./);
  });
});
