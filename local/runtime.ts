import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { HandlerName } from "../infra/shared/bundling";
import { jobKey } from "../infra/shared/table";
import type { JobInput } from "../lambdas/shared/contracts";
import { HANDLER_PLACEHOLDERS, readDefinitionTemplate, substituteDefinition } from "../step-functions/ingest/definition";
import type { Emulators } from "./emulators";
import { ExecutionLog, type RuntimeEvent, type StateRun } from "./execution-log";
import { FaultPlan, validateFaults, type Fault } from "./faults";
import { loadHandler, type LambdaFunction } from "./lambda-invoker";
import { enterEnv } from "./process-env";
import { ExecutionAbortedError, ExecutionError, ExecutionTimeoutError, StateMachine, type StateMachineDefinition } from "./state-machine";
import { buildTaskHandlers, taskStates, type TaskMapDeps } from "./task-map";

/** The account id LocalStack and the AWS docs use for "no real account". */
export const LOCAL_ACCOUNT = "000000000000";
/** Prefix of every local resource name, as a stack named `local` would name them. */
export const LOCAL_PREFIX = "batch-ingest-local";
/** The alias the state machine invokes, as deployed. */
export const FUNCTION_ALIAS = "live";
/**
 * The definition gives every Lambda Task this much more time than the function itself, so that the
 * function's own timeout (`Sandbox.Timedout`) fires first; the local function timeout is derived the same way.
 */
export const TASK_TIMEOUT_MARGIN_SECONDS = 30;
export const DEFAULT_MEMORY_MB = 1024;

export function functionName(handler: HandlerName): string {
  return `${LOCAL_PREFIX}-${handler}`;
}

export function functionArn(region: string, handler: HandlerName): string {
  return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT}:function:${functionName(handler)}:${FUNCTION_ALIAS}`;
}

export function stateMachineArn(region: string): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT}:stateMachine:${LOCAL_PREFIX}-ingest`;
}

export function executionArn(region: string, name: string): string {
  return `arn:aws:states:${region}:${LOCAL_ACCOUNT}:execution:${LOCAL_PREFIX}-ingest:${name}`;
}

export interface LocalDefinition {
  readonly definition: StateMachineDefinition;
  /** Function ARN -> the handler it names. */
  readonly handlers: ReadonlyMap<string, HandlerName>;
}

/** The real definition (or `template`) with the local function ARNs and the emulators' table filled in. */
export function localDefinition(emulators: Pick<Emulators, "region" | "tableName">, template: string = readDefinitionTemplate()): LocalDefinition {
  const handlers = new Map<string, HandlerName>();
  const arns = {} as Record<(typeof HANDLER_PLACEHOLDERS)[HandlerName], string>;
  for (const [handler, placeholder] of Object.entries(HANDLER_PLACEHOLDERS) as Array<[HandlerName, (typeof HANDLER_PLACEHOLDERS)[HandlerName]]>) {
    arns[placeholder] = functionArn(emulators.region, handler);
    handlers.set(arns[placeholder], handler);
  }
  const text = substituteDefinition(template, { ...arns, TableName: emulators.tableName });
  return { definition: JSON.parse(text) as StateMachineDefinition, handlers };
}

/** Retry waits of zero for every state that retries: tests pass this so retries never sleep. */
export function noRetryWaits(definition: StateMachineDefinition = localDefinition({ region: "us-east-1", tableName: "t" }).definition): Record<string, number> {
  return Object.fromEntries(taskStates(definition).filter((t) => t.retries).map((t) => [t.name, 0]));
}

export interface RunJobOptions {
  readonly emulators: Emulators;
  /** The execution input: where the file is and the job's id. */
  readonly input: JobInput;
  /** Definition template text with `${Placeholders}`. @default step-functions/ingest/definition.asl.json */
  readonly definition?: string;
  /** Failures to inject before (or after) the real call of a Task state. */
  readonly faults?: readonly Fault[];
  /** Milliseconds to wait before each retry, per state; see `noRetryWaits`. @default the definition's own backoff */
  readonly retryIntervalOverrides?: Record<string, number | number[]>;
  /** Called for every state entered, exited, failed, retried or caught. */
  readonly onEvent?: (event: RuntimeEvent) => void;
  /** Folder holding `lambdas/<name>/index.js`. @default dist/ */
  readonly distDir?: string;
  /** Function timeouts. @default each Task's TimeoutSeconds minus TASK_TIMEOUT_MARGIN_SECONDS */
  readonly functionTimeoutsMs?: Partial<Record<HandlerName, number>>;
  /** Extra environment for the handlers, on top of the emulators' (e.g. a log level). */
  readonly env?: Readonly<Record<string, string>>;
  /** Execution name, part of `$$.Execution.Id`. @default the jobId, so a re-run records the same ARN */
  readonly executionName?: string;
}

export interface JobResult {
  readonly status: "SUCCEEDED" | "FAILED";
  /** The execution's output (the report), when it succeeded. */
  readonly output?: unknown;
  /** The execution's error and cause, when it failed. */
  readonly error?: string;
  readonly cause?: string;
  /** The job item read back from the table after the execution; undefined if none was written. */
  readonly jobRecord: Record<string, unknown> | undefined;
  readonly states: readonly StateRun[];
  readonly executionArn: string;
  readonly durationMs: number;
}

function failureOf(thrown: unknown): { error: string; cause: string } {
  if (thrown instanceof ExecutionError && thrown.cause instanceof Error) {
    return { error: thrown.cause.name, cause: thrown.cause.message };
  }
  if (thrown instanceof ExecutionTimeoutError) {
    return { error: "States.Timeout", cause: "the execution ran longer than the definition's TimeoutSeconds" };
  }
  if (thrown instanceof ExecutionAbortedError) {
    return { error: "States.Aborted", cause: "the execution was aborted" };
  }
  return thrown instanceof Error ? { error: thrown.name, cause: thrown.message } : { error: "Error", cause: String(thrown) };
}

function lambdaFunctions(definition: LocalDefinition, options: RunJobOptions, env: Readonly<Record<string, string>>): TaskMapDeps["lambdas"] {
  const lambdas = new Map<string, { fn: LambdaFunction; handler: ReturnType<typeof loadHandler> }>();
  for (const task of taskStates(definition.definition)) {
    const handler = definition.handlers.get(task.resource);
    if (!handler || lambdas.has(task.resource)) continue;
    // aws-local-stepfunctions' own default Task timeout is 60 s; the function then gets 30 s.
    const derived = Math.max(1, (task.timeoutSeconds ?? 60) - TASK_TIMEOUT_MARGIN_SECONDS) * 1000;
    const timeoutMs = options.functionTimeoutsMs?.[handler] ?? derived;
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
      throw new Error(`functionTimeoutsMs.${handler} is ${timeoutMs}; use a positive number of milliseconds`);
    }
    const fn: LambdaFunction = { handler, functionName: functionName(handler), invokedFunctionArn: task.resource, timeoutMs, memoryMb: DEFAULT_MEMORY_MB };
    lambdas.set(task.resource, { fn, handler: loadHandler(handler, env, options.distDir) });
  }
  return lambdas;
}

/** Reads the job item (`JOB#<jobId>` / `JOB`) back from the table, as plain values. */
export async function readJobRecord(emulators: Emulators, jobId: string): Promise<Record<string, unknown> | undefined> {
  const doc = DynamoDBDocumentClient.from(emulators.dynamo);
  const { Item } = await doc.send(new GetCommand({ TableName: emulators.tableName, Key: jobKey(jobId), ConsistentRead: true }));
  return Item;
}

/**
 * Runs the real definition once with aws-local-stepfunctions: Lambda Tasks call the bundled
 * handlers, service integrations make the real SDK calls against the emulators. A failed execution
 * is a result (`status: "FAILED"` with error and cause), never a throw; this throws only when the
 * run cannot start (a Task it cannot play, a missing bundle, a bad fault).
 */
export async function runJob(options: RunJobOptions): Promise<JobResult> {
  const { emulators } = options;
  const started = Date.now();
  const local = localDefinition(emulators, options.definition);
  validateFaults(options.faults ?? [], taskStates(local.definition).map((t) => t.name));
  const env = { ...emulators.env, ...options.env };
  const leaveEnv = enterEnv(env);
  try {
    return await execute(options, local, env, started);
  } finally {
    leaveEnv();
  }
}

async function execute(options: RunJobOptions, local: LocalDefinition, env: Readonly<Record<string, string>>, started: number): Promise<JobResult> {
  const { emulators, input } = options;
  const handlers = buildTaskHandlers(local.definition, {
    lambdas: lambdaFunctions(local, options, env),
    s3: emulators.s3,
    dynamo: emulators.dynamo,
    faults: new FaultPlan(options.faults ?? []),
  });
  const name = options.executionName ?? input.jobId;
  const arn = executionArn(emulators.region, name);
  const machine = new StateMachine(local.definition);
  const log = new ExecutionLog(options.onEvent);
  const execution = machine.run(
    { bucket: input.bucket, key: input.key, jobId: input.jobId },
    {
      overrides: { taskResourceLocalHandlers: handlers, retryIntervalOverrides: options.retryIntervalOverrides },
      // StartTime is set by aws-local-stepfunctions when the run starts.
      context: {
        Execution: { Id: arn, Name: name, RoleArn: `arn:aws:iam::${LOCAL_ACCOUNT}:role/${LOCAL_PREFIX}-ingest` },
        StateMachine: { Id: stateMachineArn(emulators.region), Name: `${LOCAL_PREFIX}-ingest` },
      },
    },
  );
  const consuming = log.consume(execution.eventLogs);
  let outcome: Pick<JobResult, "status" | "output" | "error" | "cause">;
  try {
    outcome = { status: "SUCCEEDED", output: await execution.result };
  } catch (thrown) {
    outcome = { status: "FAILED", ...failureOf(thrown) };
  }
  await consuming;
  const jobRecord = await readJobRecord(emulators, input.jobId);
  return { ...outcome, jobRecord, states: log.states, executionArn: arn, durationMs: Date.now() - started };
}
