import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseArgs } from "./verify";
import { EXIT_CODES, VerifyError } from "./verify/errors";

describe("npm run verify: the command line", () => {
  const good: { argv: string[]; stack: string; region?: string; json: boolean }[] = [
    { argv: ["--stack", "dev"], stack: "dev", json: false },
    { argv: ["--stack=prod", "--region", "us-gov-west-1", "--json"], stack: "prod", region: "us-gov-west-1", json: true },
    { argv: ["--json", "--region=eu-central-2", "--stack", "qa"], stack: "qa", region: "eu-central-2", json: true },
  ];
  for (const c of good) {
    it(`reads ${c.argv.join(" ")}`, () => {
      assert.deepEqual(parseArgs(c.argv), { stack: c.stack, region: c.region, json: c.json, help: false });
    });
  }

  const bad: { argv: string[]; says: RegExp }[] = [
    { argv: [], says: /--stack is required/ },
    { argv: ["--stack"], says: /--stack needs a value/ },
    { argv: ["--stack", "--json"], says: /--stack needs a value/ },
    { argv: ["--stack", "staging"], says: /unknown stack "staging": pass one of dev, qa, prod/ },
    { argv: ["--stack", "dev", "--region", "Ireland"], says: /--region "Ireland" is not an AWS region name like eu-west-1/ },
    { argv: ["--stack", "dev", "--profile", "x"], says: /unknown argument "--profile"/ },
  ];
  for (const c of bad) {
    it(`refuses ${JSON.stringify(c.argv.join(" "))} with the usage`, () => {
      assert.throws(
        () => parseArgs(c.argv),
        (err: unknown) => err instanceof VerifyError && err.exitCode === EXIT_CODES.usage && c.says.test(err.message) && err.message.includes("usage: npm run verify -- --stack"),
      );
    });
  }

  it("exits 3 and says how to sign in when there are no AWS credentials at all", () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    Object.assign(env, { AWS_CONFIG_FILE: "/nonexistent/config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials", AWS_EC2_METADATA_DISABLED: "true" });
    const run = spawnSync(process.execPath, ["--require", require.resolve("tsx/cjs"), join(__dirname, "verify.ts"), "--stack", "dev", "--region", "eu-west-1", "--json"], {
      encoding: "utf8",
      env,
      timeout: 60_000,
    });
    assert.equal(run.status, EXIT_CODES.noCredentials, run.stderr);
    assert.match(run.stderr, /verify: no usable AWS credentials \(CredentialsProviderError: .*\)\. Sign in first/);
    const json = JSON.parse(run.stdout) as { ok: boolean; error: { exitCode: number } };
    assert.deepEqual([json.ok, json.error.exitCode], [false, EXIT_CODES.noCredentials]);
  });
});
