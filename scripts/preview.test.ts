import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../infra/shared/bundling";
import { writeFixtureBundles } from "../infra/testing/fixture-bundles";
import { STACKS } from "../infra/testing/harness";
import { policies } from "../policy-pack/policies";
import type { PreviewReport } from "../policy-pack/lib/report";
import { main, parseArgs, preview, USAGE } from "./preview";

const run = promisify(execFile);

/** Runs `main` in-process and captures what it prints. */
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`) });
  return { code, out, err };
}

describe("npm run preview (offline policy preview)", () => {
  let bundles: string;
  let scratch: string;
  before(() => {
    bundles = writeFixtureBundles();
    scratch = mkdtempSync(join(tmpdir(), "preview-test-"));
  });
  after(() => {
    rmSync(bundles, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  describe("on the real program with each stack's own policy config", () => {
    const reports = new Map<string, PreviewReport>();
    before(async () => {
      for (const stack of STACKS) reports.set(stack, await preview(parseArgs(["--stack", stack, "--bundles", bundles])));
    });

    for (const stack of STACKS) {
      it(`finds no mandatory violation in ${stack}`, () => {
        const report = reports.get(stack)!;
        const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory");
        assert.deepEqual(mandatory.map((v) => `${v.policy}: ${v.message}`), []);
      });
    }

    it("evaluates every policy of the pack and plans every resource with its key settings", () => {
      const prod = reports.get("prod")!;
      assert.deepEqual(prod.policies, policies.map((p) => p.name));
      const fn = prod.resources.find((r) => r.type === "aws:lambda/function:Function");
      assert.ok(fn, "a function is planned");
      assert.equal(fn.settings.runtime, "nodejs22.x");
      assert.equal(fn.settings.tracing, "Active");
      assert.ok(prod.resources.some((r) => r.type === "aws:dynamodb/table:Table" && r.protect), "prod protects its table");
    });

    it("reports dev's findings as advisories, at the levels of policy-pack/config/dev.json", () => {
      const dev = reports.get("dev")!;
      assert.equal(dev.policyConfig, "policy-pack/config/dev.json");
      assert.ok(dev.violations.length > 0, "dev's AWS managed keys leave its log groups without KMS");
      assert.deepEqual([...new Set(dev.violations.map((v) => v.enforcementLevel))], ["advisory"]);
    });
  });

  describe("with a config override the program allows but the policies do not", () => {
    it("shows each violation and exits 1 when prod keeps logs 30 days", async () => {
      const { code, out } = await cli(["--stack", "prod", "--json", "--bundles", bundles, "--config", "batch-ingest:logRetentionDays=30"]);
      assert.equal(code, 1);
      const report = JSON.parse(out) as PreviewReport;
      const retention = report.violations.filter((v) => v.policy === "log-group-retention");
      assert.equal(retention.length, 5, "four function log groups and the state machine's");
      for (const v of retention) {
        assert.equal(v.enforcementLevel, "mandatory");
        assert.match(v.message, /keeps events 30 days; this stack requires 365 to 3653/);
        assert.match(v.resource ?? "", /^urn:pulumi:prod::batch-ingest::.*aws:cloudwatch\/logGroup:LogGroup::/);
      }
    });

    it("names every key the stack needs when prod drops to AWS managed keys and no reserved concurrency", async () => {
      const { code, out } = await cli(["--stack", "prod", "--bundles", bundles, "--config", "kmsKey=aws-managed", "--config", "reservedConcurrency=unreserved"]);
      assert.equal(code, 1);
      for (const policy of ["s3-bucket-server-side-encryption", "dynamodb-table-kms-encryption", "sfn-state-machine-encryption", "lambda-reserved-concurrency"]) {
        assert.match(out, new RegExp(`\\n    ${policy}  `), `${policy} in the report`);
      }
      assert.match(out, /^MANDATORY \(\d+\): these block the deployment$/m);
      assert.match(out, /^Plan for stack prod: \d+ resources/);
    });

    it("reports the same finding as advisory, and exits 0, under dev's advisory config", async () => {
      const { code, out } = await cli(["--stack", "dev", "--json", "--bundles", bundles, "--config", "batch-ingest:logRetentionDays=60"]);
      assert.equal(code, 0);
      const report = JSON.parse(out) as PreviewReport;
      assert.ok(report.violations.some((v) => v.policy === "log-group-retention" && v.enforcementLevel === "advisory"));
    });

    it("takes another policy config file, as pulumi preview --policy-pack-config does", async () => {
      const file = join(scratch, "strict-dev.json");
      writeFileSync(file, JSON.stringify({ all: "mandatory", "cloudwatch-log-group-kms": "disabled", "dynamodb-deletion-protection": { required: false }, "log-group-retention": { minimumDays: 1, maximumDays: 30 } }));
      const { code, out } = await cli(["--stack", "dev", "--json", "--bundles", bundles, "--policy-config", file]);
      const report = JSON.parse(out) as PreviewReport;
      assert.ok(!report.policies.includes("cloudwatch-log-group-kms"), "a disabled policy does not run");
      assert.deepEqual(report.violations, []);
      assert.equal(code, 0);
    });
  });

  describe("usage errors", () => {
    const cases: Array<{ argv: string[]; expect: RegExp }> = [
      { argv: [], expect: /--stack is required/ },
      { argv: ["--stack", "staging"], expect: /--stack is "staging"; allowed: dev, qa, prod/ },
      { argv: ["--stack", "dev", "--verbose"], expect: /unknown argument "--verbose"/ },
      { argv: ["--stack"], expect: /--stack needs a value/ },
      { argv: ["--stack", "dev", "--config", "logRetentionDays"], expect: /--config takes <key>=<value>, got "logRetentionDays"/ },
      { argv: ["--stack", "dev", "--policy-config", "/nonexistent/policy.json"], expect: /cannot read the policy config .*policy.json: create it, or pass --policy-config <file>/ },
    ];
    for (const c of cases) {
      it(`exits 2 and says what is wrong for ${JSON.stringify(c.argv.join(" "))}`, async () => {
        const { code, out, err } = await cli(c.argv);
        assert.equal(code, 2);
        assert.equal(out, "");
        assert.match(err, c.expect);
      });
    }

    it("prints the usage with --help", async () => {
      const { code, err } = await cli(["--help"]);
      assert.equal(code, 2);
      assert.equal(err.trim(), USAGE);
    });

    it("names the policy and the fix when the policy config does not fit the pack", async () => {
      const file = join(scratch, "bad.json");
      writeFileSync(file, JSON.stringify({ all: "blocking", "log-group-retention": { minimumDays: 10 }, "s3-tls": "mandatory" }));
      const { code, err } = await cli(["--stack", "prod", "--policy-config", file]);
      assert.equal(code, 2);
      assert.match(err, /"all": "blocking" is not an enforcement level; use one of "advisory", "mandatory", "remediate", "disabled"/);
      writeFileSync(file, JSON.stringify({ "log-group-retention": { minimumDays: 10 }, "s3-tls": "mandatory" }));
      const second = await cli(["--stack", "prod", "--policy-config", file]);
      assert.match(second.err, /"log-group-retention": minimumDays is 10; allowed: 1, 3, 5, 7/);
      assert.match(second.err, /"s3-tls" is not a policy of this pack; known: .*s3-bucket-tls-only/);
    });
  });

  describe("as a command", () => {
    // Separate processes: a program that fails keeps rejecting after the harness settles, so these
    // never run in the test process, and they check the exit codes the shell sees.
    const tsx = join(REPO_ROOT, "node_modules", ".bin", "tsx");
    const command = (args: string[]) =>
      run(tsx, ["scripts/preview.ts", ...args], { cwd: REPO_ROOT }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
    let results: Array<{ code: number; stdout: string; stderr: string }>;
    before(async function () {
      this.timeout(60_000);
      results = await Promise.all([
        command(["--stack", "prod", "--json", "--bundles", bundles, "--config", "batch-ingest:workflowLogLevel=FATAL"]),
        command(["--stack", "prod", "--bundles", bundles, "--config", "batch-ingest:logRetentionDays=4"]),
      ]);
    });

    it("exits 1 on a mandatory violation and prints one JSON object on stdout", () => {
      const [result] = results;
      assert.equal(result!.code, 1, result!.stderr);
      const report = JSON.parse(result!.stdout) as PreviewReport;
      assert.deepEqual(report.violations.map((v) => `${v.enforcementLevel} ${v.policy}`), ["mandatory sfn-logging-enabled"]);
      assert.equal(report.stack, "prod");
    });

    it("exits 2 with the program's own message when the config is one the program refuses", () => {
      const [, result] = results;
      assert.equal(result!.code, 2);
      assert.match(result!.stderr, /the program failed for stack prod, so nothing was evaluated/);
      assert.match(result!.stderr, /batch-ingest:logRetentionDays is 4; allowed: 1, 3, 5, 7/);
      assert.doesNotMatch(result!.stderr, /at loadConfig|Node\.js v/, "no crash trace");
      assert.equal(result!.stdout, "");
    });
  });
});
