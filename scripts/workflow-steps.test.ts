import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jobsOf, readActions, readWorkflow, REPO_ROOT, runScript, stepNamed, stepsOf } from "./workflow-files";

/** The shell steps of the workflows, run here against scratch folders and fake CLIs. */

function script(workflow: string, job: string, step: string): string {
  const run = stepNamed(stepsOf(jobsOf(readWorkflow(workflow))[job] ?? {}), step).run;
  assert.ok(run, `${workflow} ${job} "${step}" has no run script`);
  return run;
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "workflow-step-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A fake executable on PATH, so a step's call to `npm` or `pulumi` runs this script instead. */
function fakeBin(name: string, body: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, name), `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
  return bin;
}

describe("deploy-stack.yml: the artifact check before pulumi up", () => {
  const check = script("deploy-stack.yml", "up", "Check the artifact's sha256 before deploying it");
  const sha = (data: string): string => createHash("sha256").update(data).digest("hex");

  function artifact(): string {
    for (const name of ["validate", "load"]) {
      mkdirSync(join(dir, "dist", "lambdas", name), { recursive: true });
      writeFileSync(join(dir, "dist", "lambdas", name, "index.js"), `exports.handler = () => "${name}";\n`);
    }
    const bundles = Object.fromEntries(
      ["validate", "load"].map((name) => [name, { dir: `dist/lambdas/${name}`, file: "index.js", sha256: sha(`exports.handler = () => "${name}";\n`) }]),
    );
    const manifest = JSON.stringify({ bundles }, null, 2) + "\n";
    writeFileSync(join(dir, "dist", "manifest.json"), manifest);
    return sha(manifest);
  }

  const cases: { name: string; tamper: (manifestSha: string) => string; ok: boolean; says?: RegExp }[] = [
    { name: "accepts the artifact exactly as built", tamper: (m) => m, ok: true },
    {
      name: "rejects a bundle changed after the build",
      tamper: (m) => (writeFileSync(join(dir, "dist/lambdas/load/index.js"), "exports.handler = () => 'evil';\n"), m),
      ok: false,
      says: /dist\/lambdas\/load\/index\.js: FAILED/,
    },
    { name: "rejects a manifest other than the one the build job recorded", tamper: () => "0".repeat(64), ok: false, says: /dist\/manifest\.json: FAILED/ },
    {
      name: "rejects a file the manifest does not list",
      tamper: (m) => (writeFileSync(join(dir, "dist/lambdas/load/extra.js"), "x"), m),
      ok: false,
      says: /holds files the manifest does not list/,
    },
    { name: "rejects a missing bundle", tamper: (m) => (rmSync(join(dir, "dist/lambdas/validate/index.js")), m), ok: false, says: /No such file/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const manifestSha = c.tamper(artifact());
      const run = runScript(check, { cwd: dir, env: { MANIFEST_SHA256: manifestSha } });
      assert.equal(run.status === 0, c.ok, run.stdout + run.stderr);
      if (c.says) assert.match(run.stdout + run.stderr, c.says);
    });
  }
});

describe("deploy.yml: what to deploy, and whether prod may take it", () => {
  const resolve = script("deploy.yml", "resolve", "Resolve the commit and whether it is a release");
  const git = (...args: string[]): string =>
    execFileSync("git", ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" },
    }).trim();

  let tagged: string;
  let head: string;
  beforeEach(() => {
    git("init", "-q", "-b", "main");
    git("commit", "-q", "--allow-empty", "-m", "feat: one");
    git("tag", "-a", "v0.2.0", "-m", "v0.2.0");
    tagged = git("rev-parse", "HEAD");
    git("commit", "-q", "--allow-empty", "-m", "docs: two");
    git("branch", "v1.0.0");
    head = git("rev-parse", "HEAD");
  });

  const cases: { name: string; env: Record<string, string>; outputs?: () => Record<string, string>; fails?: RegExp }[] = [
    {
      name: "leaves a push that makes a release due to release.yml",
      env: { GIT_REF: "refs/heads/main", RELEASE_DUE: "true", NEXT_TAG: "v0.3.0" },
      outputs: () => ({ deploy: "false" }),
    },
    { name: "deploys a push with nothing to release to dev and qa only", env: { GIT_REF: "refs/heads/main", RELEASE_DUE: "false" }, outputs: () => ({ deploy: "true", sha: head, "release-tag": "" }) },
    { name: "deploys a pushed vX.Y.Z tag to prod", env: { GIT_REF: "refs/tags/v0.2.0" }, outputs: () => ({ deploy: "true", sha: tagged, "release-tag": "v0.2.0" }) },
    { name: "deploys a tag given by hand (a rollback) to prod", env: { INPUT_REF: "v0.2.0" }, outputs: () => ({ deploy: "true", sha: tagged, "release-tag": "v0.2.0" }) },
    { name: "accepts a full refs/tags/ name", env: { INPUT_REF: "refs/tags/v0.2.0" }, outputs: () => ({ deploy: "true", sha: tagged, "release-tag": "v0.2.0" }) },
    { name: "keeps a commit given by hand out of prod", env: { INPUT_REF: "HEAD~1" }, outputs: () => ({ deploy: "true", sha: tagged, "release-tag": "" }) },
    { name: "keeps a branch named like a version out of prod", env: { INPUT_REF: "v1.0.0" }, outputs: () => ({ deploy: "true", sha: head, "release-tag": "" }) },
    { name: "refuses a ref that does not exist, saying what to pass", env: { INPUT_REF: "v9.9.9" }, fails: /v9\.9\.9 is neither a tag nor a commit of this repository; pass a vX\.Y\.Z tag or a commit SHA/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const run = runScript(resolve, { cwd: dir, env: { GITHUB_SHA: head, INPUT_REF: "", GIT_REF: "", RELEASE_DUE: "", NEXT_TAG: "", ...c.env } });
      if (c.fails) {
        assert.notEqual(run.status, 0);
        assert.match(run.stdout, c.fails);
      } else {
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.deepEqual(run.outputs, c.outputs?.());
      }
    });
  }

  it("refuses a release tag whose package.json names another version", () => {
    const check = script("deploy.yml", "build", "A release tag names the version in package.json");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ version: "0.2.0" }));
    assert.equal(runScript(check, { cwd: dir, env: { TAG: "v0.2.0" } }).status, 0);
    const bad = runScript(check, { cwd: dir, env: { TAG: "v0.3.0" } });
    assert.notEqual(bad.status, 0);
    assert.match(bad.stdout, /tag v0\.3\.0 points at a commit whose package\.json version is 0\.2\.0/);
  });
});

describe("drift.yml: telling drift from failure", () => {
  const drift = script("drift.yml", "drift", "pulumi refresh --preview-only --expect-no-changes");
  const cases: { name: string; code: number; output: string; status: number; drifted?: string }[] = [
    { name: "reports no drift when the refresh finds no change", code: 0, output: "Resources:\n    12 unchanged", status: 0, drifted: "false" },
    { name: "reports drift when changes were found", code: 255, output: "~ aws:lambda:Function validate update\nerror: no changes were expected but changes occurred", status: 0, drifted: "true" },
    { name: "fails without reporting drift when the refresh itself fails", code: 255, output: "error: failed to decrypt: AccessDeniedException", status: 255 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const bin = fakeBin("pulumi", `if [ "$1" = login ]; then exit 0; fi\nprintf '%s\\n' "${c.output.replace(/"/g, '\\"')}"\nexit ${c.code}`);
      const run = runScript(drift, { cwd: dir, path: bin, env: { STACK_NAME: "dev", PULUMI_BACKEND_URL: "s3://state", PULUMI_ACCESS_TOKEN: "" } });
      assert.equal(run.status, c.status, run.stdout + run.stderr);
      assert.equal(run.outputs.drifted, c.drifted);
      if (c.drifted === undefined) assert.match(run.stdout, /::error title=Drift check of dev failed::pulumi refresh exited 255 for a reason other than drift/);
    });
  }
});

describe("ci.yml: the offline preview of every stack", () => {
  const offline = script("ci.yml", "checks", "Offline preview of every stack, into the job summary");

  it("previews every Pulumi.<stack>.yaml, writes each result to the summary and fails if one fails", () => {
    for (const stack of ["dev", "prod"]) writeFileSync(join(dir, `Pulumi.${stack}.yaml`), "config: {}\n");
    const bin = fakeBin("npm", 'stack="${@: -1}"\necho "preview of $stack"\nif [ "$stack" = prod ]; then echo "mandatory: bucket must not be public"; exit 1; fi');
    const run = runScript(offline, { cwd: dir, path: bin });
    assert.equal(run.status, 1);
    assert.match(run.summary, /### dev: no mandatory policy violations\n```\npreview of dev\n```/);
    assert.match(run.summary, /### prod: FAILED \(exit 1\)\n```\npreview of prod\nmandatory: bucket must not be public\n```/);
    assert.match(run.stdout, /::error title=Offline preview of prod::/);
  });

  it("fails when there is no stack file at all", () => {
    const run = runScript(offline, { cwd: dir });
    assert.notEqual(run.status, 0);
    assert.match(run.stdout, /No Pulumi\.<stack>\.yaml file found/);
  });
});

describe("stack-context: the stack's region and Pulumi name", () => {
  const action = readActions().find((a) => a.path === ".github/actions/stack-context/action.yml");
  const resolve = stepNamed(action ? stepsOf(action) : [], "Resolve the stack's region and name").run ?? "";
  const env = { NODE_PATH: join(REPO_ROOT, "node_modules"), PULUMI_ORG: "" };

  const cases: { name: string; files: Record<string, string>; env: Record<string, string>; outputs?: Record<string, string>; fails?: RegExp }[] = [
    { name: "reads aws:region and keeps the bare stack name", files: { "Pulumi.qa.yaml": "config:\n  aws:region: eu-west-1\n" }, env: { STACK: "qa" }, outputs: { region: "eu-west-1", "stack-name": "qa" } },
    { name: "prefixes the Pulumi Cloud organisation", files: { "Pulumi.qa.yaml": "config:\n  aws:region: eu-west-1\n" }, env: { STACK: "qa", PULUMI_ORG: "acme" }, outputs: { region: "eu-west-1", "stack-name": "acme/qa" } },
    { name: "names the stacks that exist when the stack is unknown", files: { "Pulumi.dev.yaml": "config: {}\n" }, env: { STACK: "staging" }, fails: /Pulumi\.staging\.yaml is missing.*pick one of: dev/ },
    { name: "says how to set a missing region", files: { "Pulumi.dev.yaml": "config: {}\n" }, env: { STACK: "dev" }, fails: /sets no aws:region: run `pulumi config set aws:region <region> --stack dev`/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      for (const [file, text] of Object.entries(c.files)) writeFileSync(join(dir, file), text);
      const run = runScript(resolve, { cwd: dir, env: { ...env, ...c.env } });
      if (c.fails) {
        assert.notEqual(run.status, 0);
        assert.match(run.stdout, c.fails);
      } else {
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.deepEqual(run.outputs, c.outputs);
      }
    });
  }
});

describe("drift.yml: the drift issue", () => {
  const drift = jobsOf(readWorkflow("drift.yml")).drift ?? {};
  const script = String(stepNamed(stepsOf(drift), "Open, update or close the stack's drift issue").with?.script);
  type Call = [string, Record<string, unknown>];
  type Script = (...args: unknown[]) => Promise<unknown>;
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...params: string[]) => Script;

  /** Runs the github-script body the way actions/github-script does, against a fake GitHub. */
  async function run(drifted: boolean, open: { number: number; title: string; pull_request?: unknown }[]): Promise<Call[]> {
    const calls: Call[] = [];
    const record = (name: string) => async (params: Record<string, unknown>) => (calls.push([name, params]), { data: { number: 42 } });
    const issues = { listForRepo: record("listForRepo"), create: record("create"), update: record("update"), createComment: record("createComment") };
    const github = { rest: { issues }, paginate: async (method: unknown, params: Record<string, unknown>) => (calls.push(["paginate", { ...params, method: method === issues.listForRepo }]), open) };
    const context = { serverUrl: "https://github.com", repo: { owner: "acme", repo: "batch-ingest" }, runId: 99 };
    const core = { notice: (message: string) => calls.push(["notice", { message }]) };
    const fakeRequire = (name: string) => {
      assert.equal(name, "node:fs");
      return { readFileSync: () => "~ aws:lambda/function:Function validate update [diff: ~timeout]\nerror: no changes were expected but changes occurred\n" };
    };
    await new AsyncFunction("require", "github", "context", "core", "process", script)(fakeRequire, github, context, core, { env: { STACK: "qa", DRIFTED: String(drifted) } });
    return calls;
  }

  it("opens an issue with the diff and the run when a stack drifts for the first time", async () => {
    const calls = await run(true, [{ number: 3, title: "Something else" }, { number: 4, title: "Drift detected in stack qa", pull_request: {} }]);
    const [name, params] = calls.find(([n]) => n === "create") ?? ["", {}];
    assert.equal(name, "create");
    assert.equal(params.title, "Drift detected in stack qa");
    assert.deepEqual(params.labels, ["drift"]);
    assert.match(String(params.body), /Run: https:\/\/github\.com\/acme\/batch-ingest\/actions\/runs\/99/);
    assert.match(String(params.body), /```\n~ aws:lambda\/function:Function validate update \[diff: ~timeout\]/);
    assert.deepEqual(calls[0], ["paginate", { owner: "acme", repo: "batch-ingest", state: "open", per_page: 100, method: true }]);
  });

  it("updates the open issue with the new diff and a comment when the stack still drifts", async () => {
    const calls = await run(true, [{ number: 8, title: "Drift detected in stack qa" }]);
    assert.deepEqual(calls.map(([n]) => n), ["paginate", "update", "createComment", "notice"]);
    assert.equal(calls[1]?.[1].issue_number, 8);
    assert.match(String(calls[1]?.[1].body), /no changes were expected but changes occurred/);
  });

  it("closes the open issue once the stack no longer drifts, and does nothing when there is none", async () => {
    const closing = await run(false, [{ number: 8, title: "Drift detected in stack qa" }]);
    assert.deepEqual(closing.map(([n]) => n), ["paginate", "createComment", "update"]);
    assert.equal(closing[2]?.[1].state, "closed");
    assert.deepEqual((await run(false, [])).map(([n]) => n), ["paginate"]);
  });
});
