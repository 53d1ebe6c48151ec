/**
 * The offline preview: `npm run preview -- --stack <dev|qa|prod> [--json]`.
 *
 * Runs the Pulumi program under mocks with the stack's config (no cloud, no Pulumi CLI, no
 * credentials), evaluates every policy of the pack against what it registers, at the enforcement
 * levels of `policy-pack/config/<stack>.json` (the file `pulumi preview --policy-pack-config` takes),
 * and prints the plan and the policy report. Exit codes: 0 clean (advisories allowed), 1 a mandatory
 * policy is violated, 2 the preview could not run (bad arguments, a bad policy config, a program error).
 */
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { REPO_ROOT } from "../infra/shared/bundling";
import { runProgram, STACKS, type RecordedResource, type StackName } from "../infra/testing/harness";
import { evaluatePack, type StackResource } from "../policy-pack/lib/evaluate";
import { keySettings } from "../policy-pack/lib/key-settings";
import { PackConfigError, parsePackConfig, reconcilePackConfig } from "../policy-pack/lib/pack-config";
import { formatPlan, formatPolicyReport, summarize, type PreviewReport } from "../policy-pack/lib/report";
import { PACK_ENFORCEMENT_LEVEL, policies } from "../policy-pack/policies";

export const USAGE = `usage: npm run preview -- --stack <${STACKS.join("|")}> [--json] [--policy-config <file>] [--config <key>=<value>]... [--secret <key>=<value>]... [--bundles <dir>]

  --stack          the stack whose Pulumi.<stack>.yaml config the program runs with
  --json           print one JSON object {stack, resources, policies, violations, ...} instead of text
  --policy-config  enforcement levels and settings; default policy-pack/config/<stack>.json
  --config         override a config key for this run, e.g. --config batch-ingest:logRetentionDays=1
  --secret         a value for a key the stack file holds encrypted (only the Pulumi CLI decrypts them)
  --bundles        a dist/-shaped folder of handler bundles; default dist/ from \`npm run build\`

exit codes: 0 no mandatory violation, 1 a mandatory policy is violated, 2 the preview could not run`;

export class UsageError extends Error {
  override name = "UsageError";
}

export interface PreviewArgs {
  readonly stack: StackName;
  readonly json: boolean;
  /** Absolute path of the policy config file. */
  readonly policyConfig: string;
  readonly config: Record<string, string>;
  readonly secrets: Record<string, string>;
  readonly bundles: string | undefined;
}

function keyValue(flag: string, value: string): [string, string] {
  const at = value.indexOf("=");
  if (at <= 0) throw new UsageError(`${flag} takes <key>=<value>, got "${value}": e.g. ${flag} batch-ingest:logRetentionDays=30`);
  const key = value.slice(0, at);
  return [key.includes(":") ? key : `batch-ingest:${key}`, value.slice(at + 1)];
}

export function parseArgs(argv: readonly string[]): PreviewArgs {
  let stack: string | undefined;
  let json = false;
  let policyConfig: string | undefined;
  let bundles: string | undefined;
  const config: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case "--stack": stack = value(); break;
      case "--json": json = true; break;
      case "--policy-config": policyConfig = resolve(value()); break;
      case "--bundles": bundles = resolve(value()); break;
      case "--config": { const [k, v] = keyValue(flag, value()); config[k] = v; break; }
      case "--secret": { const [k, v] = keyValue(flag, value()); secrets[k] = v; break; }
      case "--help": case "-h": throw new UsageError("");
      default: throw new UsageError(`unknown argument "${flag}"`);
    }
  }
  if (stack === undefined) throw new UsageError("--stack is required");
  if (!(STACKS as readonly string[]).includes(stack)) throw new UsageError(`--stack is "${stack}"; allowed: ${STACKS.join(", ")}`);
  const s = stack as StackName;
  return { stack: s, json, policyConfig: policyConfig ?? resolve(REPO_ROOT, "policy-pack", "config", `${s}.json`), config, secrets, bundles };
}

/** A recorded resource as the engine shows it to policies: inputs for resource policies, outputs for stack policies. */
export function toStackResource(r: RecordedResource): StackResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    inputs: r.inputs,
    // The mocks answer the id separately; companions name a bucket or role by it.
    outputs: r.id ? { ...r.state, id: r.id } : r.state,
    ...(r.parent ? { parent: r.parent } : {}),
    opts: { protect: r.options.protect, ignoreChanges: [...r.options.ignoreChanges], deleteBeforeReplace: r.options.deleteBeforeReplace },
    dependencies: r.options.dependsOn,
  };
}

/** Runs the program, evaluates the pack and returns the report; throws `UsageError` when it cannot. */
export async function preview(args: PreviewArgs): Promise<PreviewReport> {
  const source = relative(REPO_ROOT, args.policyConfig) || args.policyConfig;
  let text: string;
  try {
    text = readFileSync(args.policyConfig, "utf8");
  } catch {
    throw new UsageError(`cannot read the policy config ${source}: create it, or pass --policy-config <file>`);
  }
  let resolved;
  try {
    resolved = reconcilePackConfig(policies, parsePackConfig(text, source), PACK_ENFORCEMENT_LEVEL, source);
  } catch (err) {
    if (err instanceof PackConfigError) throw new UsageError(err.message);
    throw err;
  }
  let resources: RecordedResource[];
  try {
    resources = (await runProgram(args.stack, { config: args.config, secrets: args.secrets, distDir: args.bundles })).resources;
  } catch (err) {
    throw new UsageError(`the program failed for stack ${args.stack}, so nothing was evaluated:\n${(err as Error).message}`);
  }
  const evaluation = await evaluatePack(policies, resources.map(toStackResource), resolved);
  return {
    stack: args.stack,
    policyConfig: source,
    resources: resources.map((r) => ({ type: r.type, name: r.name, urn: r.urn, parent: r.parent ?? null, protect: r.options.protect, settings: keySettings(r.type, r.inputs) })),
    policies: evaluation.policies,
    violations: evaluation.violations,
    summary: summarize(evaluation.violations),
  };
}

export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: Io = { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) };

/** The CLI: returns the exit code. With --json, stdout holds the JSON object and nothing else. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let args: PreviewArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(err.message ? `preview: ${err.message}\n\n${USAGE}` : USAGE);
    return 2;
  }
  // Whatever the program logs goes to stderr, so stdout stays one parseable report.
  const log = console.log;
  console.log = (...items: unknown[]) => io.err(items.map(String).join(" "));
  let report: PreviewReport;
  try {
    report = await preview(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`preview: ${err.message}`);
    return 2;
  } finally {
    console.log = log;
  }
  if (args.json) io.out(JSON.stringify(report, null, 2));
  else io.out(`${formatPlan(report)}\n\n${formatPolicyReport(report)}`);
  return report.summary.mandatory > 0 ? 1 : 0;
}

if (require.main === module) {
  // The harness hands failures of the program to the preview while it runs; a failed program can
  // still reject after that (its stack resource's outputs), repeating what was reported. Collect such
  // late errors instead of crashing, and exit explicitly: the mocks keep no work the CLI waits for.
  const late: unknown[] = [];
  process.on("unhandledRejection", (err) => late.push(err));
  process.on("uncaughtException", (err) => late.push(err));
  const finish = (code: number) => process.stdout.write("", () => process.exit(code));
  main(process.argv.slice(2)).then(
    (code) => {
      if (code !== 2 && late.length > 0) {
        process.stderr.write(`preview: the program failed after it was evaluated: ${late.map((e) => (e instanceof Error ? e.message : String(e))).join("; ")}\n`);
        return finish(2);
      }
      finish(code);
    },
    (err: unknown) => {
      process.stderr.write(`preview: unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      finish(2);
    },
  );
}
