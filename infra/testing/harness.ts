import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../shared/bundling";
import { DIST_DIR_ENV } from "../shared/zip";
import { mockCall, mockResourceState, type MockContext } from "./mocks";

/**
 * Runs the Pulumi program offline, against `pulumi.runtime.setMocks`, and records every resource it
 * registers with its inputs, the state the mocks answered, its parent and its options. The tests,
 * the policy pack's offline preview (`scripts/preview.ts`) and the verifier all use this, so they
 * all see the same resources a `pulumi preview` would show.
 *
 * Several runs may follow one another in one process (each gets fresh mocks, config and program
 * modules); concurrent calls are queued.
 */

export const PROJECT = "batch-ingest";
export const STACKS = ["dev", "qa", "prod"] as const;
export type StackName = (typeof STACKS)[number];
export const PROGRAM_PATH = join(REPO_ROOT, "infra", "index.ts");

export interface RecordedOptions {
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: readonly string[];
  /** URNs of the resources named in `dependsOn` (explicit dependencies only). */
  readonly dependsOn: readonly string[];
  /** True for multi-language components such as `awsx:ec2:Vpc`, whose children mocks never see. */
  readonly remote: boolean;
}

export interface RecordedResource {
  readonly type: string;
  /** The logical name given to the constructor. */
  readonly name: string;
  readonly urn: string;
  /** The id the mocks answered; empty for components. */
  readonly id: string;
  /** Inputs as the provider would receive them (Outputs resolved, secrets unwrapped). */
  readonly inputs: Record<string, unknown>;
  /** Inputs plus the computed properties the mocks answered (names, ARNs, ids). */
  readonly state: Record<string, unknown>;
  readonly parent?: string;
  /** False for component resources. */
  readonly custom: boolean;
  readonly options: RecordedOptions;
}

export interface ProgramRun {
  readonly resources: RecordedResource[];
  /** The stack outputs, fully resolved. */
  readonly outputs: Record<string, unknown>;
}

export interface RunProgramOptions {
  /** Overrides of the stack file's config, by full key (`batch-ingest:memoryMb`); `null` removes a key. */
  readonly config?: Record<string, string | null>;
  /** Secret config values by full key (`batch-ingest:alarmEmail`), passed as secrets. */
  readonly secrets?: Record<string, string>;
  /** A `dist/`-shaped folder to deploy from instead of the repository's `dist/`. */
  readonly distDir?: string;
  /** Run as `pulumi preview` would (`pulumi.runtime.isDryRun()` is true). Default false. */
  readonly preview?: boolean;
}

/** A failed run: the message of what failed, and the resources registered before it did. */
export class ProgramError extends Error {
  constructor(
    message: string,
    readonly resources: RecordedResource[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ProgramError";
  }
}

export interface StackFile {
  /** Every plain value, by full key, as the Pulumi CLI passes it to the program (objects as JSON). */
  readonly config: Record<string, string>;
  /** Keys holding `secure:` values, which only the CLI can decrypt. */
  readonly secureKeys: readonly string[];
}

/** Reads `Pulumi.<stack>.yaml` the way the CLI hands it to the program: every value a string. */
export function readStackFile(stack: string, root: string = REPO_ROOT): StackFile {
  const path = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(path)) throw new Error(`Pulumi.${stack}.yaml is missing: stacks are ${STACKS.join(", ")}`);
  const doc: unknown = parse(readFileSync(path, "utf8"));
  const raw = isRecord(doc) && isRecord(doc["config"]) ? doc["config"] : {};
  const config: Record<string, string> = {};
  const secureKeys: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const fullKey = key.includes(":") ? key : `${PROJECT}:${key}`;
    if (isRecord(value) && typeof value["secure"] === "string") secureKeys.push(fullKey);
    else if (typeof value === "string") config[fullKey] = value;
    else if (typeof value === "number" || typeof value === "boolean") config[fullKey] = String(value);
    else if (value !== null && value !== undefined) config[fullKey] = JSON.stringify(value);
  }
  return { config, secureKeys };
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs `infra/index.ts` for a stack, with its `Pulumi.<stack>.yaml` config and `opts.config` on top. */
export function runProgram(stack: StackName, opts: RunProgramOptions = {}): Promise<ProgramRun> {
  const file = readStackFile(stack);
  const config: Record<string, string> = { ...file.config };
  for (const [key, value] of Object.entries(opts.config ?? {})) {
    if (value === null) delete config[key];
    else config[key] = value;
  }
  const secrets = opts.secrets ?? {};
  const encrypted = file.secureKeys.filter((key) => !(key in secrets) && !(key in config));
  if (encrypted.length > 0) {
    return Promise.reject(
      new Error(`Pulumi.${stack}.yaml holds encrypted values for ${encrypted.join(", ")}, which only the Pulumi CLI can decrypt: pass them in opts.secrets`),
    );
  }
  Object.assign(config, secrets);
  return runPulumiProgram({ programPath: PROGRAM_PATH, stack, config, secretKeys: Object.keys(secrets), distDir: opts.distDir, preview: opts.preview });
}

export interface PulumiProgramRun {
  readonly programPath: string;
  readonly stack: string;
  readonly config: Record<string, string>;
  readonly secretKeys?: readonly string[];
  readonly distDir?: string;
  readonly preview?: boolean;
}

/** Runs any program file under mocks; `runProgram` is this with the project's stack files. */
export function runPulumiProgram(run: PulumiProgramRun): Promise<ProgramRun> {
  const result = queue.then(() => runOnce(run));
  queue = result.catch(() => undefined);
  return result;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getRemote(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
}

interface PatchableMonitor {
  registerResource(req: RegisterRequest, callback: (...args: unknown[]) => void): unknown;
}

async function runOnce(run: PulumiProgramRun): Promise<ProgramRun> {
  const ctx: MockContext = { stack: run.stack, region: run.config["aws:region"] ?? "us-east-1" };
  const resources: RecordedResource[] = [];
  let pending: RegisterRequest | undefined;

  // Errors that escape the program (a failed Output feeding a resource, a throw inside an apply)
  // arrive as unhandled rejections, as they do under the Pulumi CLI, which fails the update on them.
  let fail: (err: unknown) => void = () => undefined;
  const failure = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  failure.catch(() => undefined);
  let firstFailure: { error: unknown } | undefined;
  const onFailure = (err: unknown): void => {
    firstFailure ??= { error: err };
    fail(err);
  };
  process.on("unhandledRejection", onFailure);
  process.on("uncaughtException", onFailure);
  const previousDistDir = process.env[DIST_DIR_ENV];

  try {
    await pulumi.runtime.setMocks(
      {
        newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
          const inputs = unwrapSecrets(args.inputs) as Record<string, unknown>;
          const { id, state } = mockResourceState(ctx, args.type, args.name, inputs);
          const req = pending && pending.getType() === args.type && pending.getName() === args.name ? pending : undefined;
          const parent = req?.getParent() || undefined;
          resources.push({
            type: args.type,
            name: args.name,
            urn: mockUrn(run.stack, parent, args.type, args.name),
            id,
            inputs,
            state,
            parent,
            custom: args.custom ?? true,
            options: {
              protect: req?.getProtect() ?? false,
              retainOnDelete: req?.getRetainondelete() ?? false,
              deleteBeforeReplace: req?.getDeletebeforereplace() ?? false,
              ignoreChanges: req?.getIgnorechangesList() ?? [],
              dependsOn: req?.getDependenciesList() ?? [],
              remote: req?.getRemote() ?? false,
            },
          });
          return { id, state };
        },
        call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
          return mockCall(ctx, args.token);
        },
      },
      PROJECT,
      run.stack,
      run.preview ?? false,
    );
    pulumi.runtime.setAllConfig(run.config, [...(run.secretKeys ?? [])]);

    // The mock monitor passes the mocks neither the parent nor the options; it calls `newResource`
    // synchronously from `registerResource`, so the request can be handed over around that call.
    const monitor = pulumi.runtime.getMonitor() as unknown as PatchableMonitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      pending = req;
      try {
        return register(req, callback);
      } finally {
        pending = undefined;
      }
    };

    if (run.distDir !== undefined) process.env[DIST_DIR_ENV] = run.distDir;
    clearProgramModules(require.resolve(run.programPath));
    // The program is loaded the way the Pulumi CLI loads it: required inside the root stack resource.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const outputs = await Promise.race([pulumi.runtime.runInPulumiStack(async () => require(run.programPath) as unknown), failure]);
    // Let every registration (the stack's own outputs included) reach the mocks before the next run.
    await Promise.race([pulumi.runtime.disconnect(), failure]);
    await new Promise((resolve) => setImmediate(resolve));
    if (firstFailure) throw firstFailure.error;
    return { resources, outputs: isRecord(outputs) ? outputs : {} };
  } catch (err) {
    // Let this run's own stray rejections arrive while its listeners are still on, so they are
    // never blamed on the next run.
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
    throw new ProgramError(err instanceof Error ? err.message : String(err), resources, { cause: err });
  } finally {
    process.off("unhandledRejection", onFailure);
    process.off("uncaughtException", onFailure);
    if (previousDistDir === undefined) delete process.env[DIST_DIR_ENV];
    else process.env[DIST_DIR_ENV] = previousDistDir;
  }
}

/** The URN the mock monitor gives a resource (it qualifies the type with the parent's type only). */
function mockUrn(stack: string, parent: string | undefined, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = (parent.split("::")[2] ?? "").split("$").pop();
    qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${PROJECT}::${qualified}::${name}`;
}

/**
 * Forgets the program's modules (everything under `infra/` but this harness and its mocks, and the
 * program file itself), so the next `require` evaluates the program again for the new stack.
 */
function clearProgramModules(programPath: string): void {
  const infra = join(REPO_ROOT, "infra");
  const keep = new Set([__filename, require.resolve("./mocks")]);
  for (const key of Object.keys(require.cache)) {
    if ((key.startsWith(infra) || key === programPath) && !keep.has(key)) delete require.cache[key];
  }
}

/** Secrets reach the mocks wrapped as `{ <sig>: <secret sig>, value }`; a provider sees the value. */
function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (!isRecord(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
  if (value[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) return unwrapSecrets(value["value"]);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
