/**
 * Reads the GitHub workflows and composite actions for the tests that lint them and run their
 * shell steps, so that what CI does is checked here, not discovered on GitHub.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";

export const REPO_ROOT = resolve(__dirname, "..");
export const WORKFLOWS_DIR = join(REPO_ROOT, ".github", "workflows");
export const ACTIONS_DIR = join(REPO_ROOT, ".github", "actions");

export type YamlMap = Record<string, unknown>;

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: YamlMap;
  readonly env?: YamlMap;
}

export interface Job {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly uses?: string;
  readonly with?: YamlMap;
  readonly permissions?: YamlMap;
  readonly environment?: YamlMap | string;
  readonly concurrency?: YamlMap;
  readonly strategy?: { matrix?: YamlMap };
  readonly steps?: Step[];
}

export interface YamlFile {
  /** Path relative to the repository root, as actionlint and error messages show it. */
  readonly path: string;
  readonly text: string;
  readonly doc: YamlMap;
}

export function isMap(value: unknown): value is YamlMap {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readYaml(path: string): YamlFile {
  const text = readFileSync(path, "utf8");
  const doc: unknown = parse(text);
  if (!isMap(doc)) throw new Error(`${path} is not a YAML mapping`);
  return { path: path.slice(REPO_ROOT.length + 1), text, doc };
}

export function readWorkflows(): YamlFile[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => readYaml(join(WORKFLOWS_DIR, f)));
}

export function readWorkflow(file: string): YamlFile {
  return readYaml(join(WORKFLOWS_DIR, file));
}

/** Every composite action under `.github/actions/<name>/action.yml`. */
export function readActions(): YamlFile[] {
  if (!existsSync(ACTIONS_DIR)) return [];
  return readdirSync(ACTIONS_DIR)
    .map((d) => join(ACTIONS_DIR, d, "action.yml"))
    .filter((p) => existsSync(p))
    .map(readYaml);
}

export function jobsOf(file: YamlFile): Record<string, Job> {
  const jobs = file.doc.jobs;
  if (!isMap(jobs)) throw new Error(`${file.path} has no jobs`);
  return jobs as Record<string, Job>;
}

/** Steps of a workflow job or of a composite action. */
export function stepsOf(source: Job | YamlFile): Step[] {
  if ("doc" in source) {
    const runs = source.doc.runs;
    return isMap(runs) && Array.isArray(runs.steps) ? (runs.steps as Step[]) : [];
  }
  return source.steps ?? [];
}

export function stepNamed(steps: readonly Step[], name: string): Step {
  const step = steps.find((s) => s.name === name);
  if (!step) throw new Error(`no step named "${name}"; steps: ${steps.map((s) => s.name ?? s.uses ?? "?").join(", ")}`);
  return step;
}

/** The stacks: one per `Pulumi.<stack>.yaml`, or the three the project plans before those exist. */
export function stacks(): string[] {
  const found = readdirSync(REPO_ROOT)
    .map((f) => /^Pulumi\.([A-Za-z0-9_-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);
  return found.length > 0 ? found.sort() : ["dev", "prod", "qa"];
}

export interface StepRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** What the script wrote to `$GITHUB_OUTPUT`, as `name=value` lines. */
  readonly outputs: Record<string, string>;
  readonly summary: string;
}

/**
 * Runs a `run:` script the way GitHub's default bash shell does (`bash --noprofile --norc -eo
 * pipefail`), with `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` pointing at temporary files.
 */
export function runScript(script: string, options: { cwd: string; env?: Record<string, string>; path?: string }): StepRun {
  const scratch = mkdtempSync(join(tmpdir(), "step-"));
  try {
    const outputFile = join(scratch, "output");
    const summaryFile = join(scratch, "summary");
    const scriptFile = join(scratch, "script.sh");
    writeFileSync(outputFile, "");
    writeFileSync(summaryFile, "");
    writeFileSync(scriptFile, script);
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", scriptFile], {
      cwd: options.cwd,
      encoding: "utf8",
      env: {
        PATH: options.path ? `${options.path}:${process.env.PATH ?? ""}` : process.env.PATH ?? "",
        HOME: process.env.HOME ?? scratch,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        ...options.env,
      },
    });
    const outputs: Record<string, string> = {};
    for (const line of readFileSync(outputFile, "utf8").split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
    }
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, outputs, summary: readFileSync(summaryFile, "utf8") };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
