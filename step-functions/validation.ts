/**
 * Checks of an Amazon States Language definition that run without AWS: the asl-validator schema
 * check, and a lint of what this project requires of every workflow. Both the tests and the Pulumi
 * program call these, so a definition that would fail `CreateStateMachine`, or that would run
 * without retries, timeouts or failure records, fails here first.
 */

interface AslValidatorResult {
  isValid: boolean;
  errors: Array<{ "Error code"?: string; Message?: string }>;
}
// asl-validator ships no type declarations; this is the one function it exports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const aslValidator = require("asl-validator") as (definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }) => AslValidatorResult;

/** Runs asl-validator on a definition (text or parsed) and returns its messages; empty means valid. */
export function aslValidationErrors(definition: string | object): string[] {
  let parsed: unknown;
  try {
    parsed = typeof definition === "string" ? JSON.parse(definition) : structuredClone(definition);
  } catch (err) {
    return [`definition is not valid JSON: ${(err as Error).message}`];
  }
  // The validator annotates the object it is given; it received a private copy above.
  const result = aslValidator(parsed, { checkPaths: true, checkArn: true });
  return result.isValid ? [] : result.errors.map((e) => `${e["Error code"] ?? "Error"}: ${e.Message ?? "invalid"}`);
}

type Json = Record<string, unknown>;

/** Errors Step Functions raises for bugs or for anything at all: a retrier on them retries more than transient faults. */
const NON_TRANSIENT_RETRY_ERRORS = ["States.ALL", "States.TaskFailed", "States.Runtime", "States.Permissions"];
/** Fields that only exist in JSONata or with workflow variables; the local interpreter ignores them silently. */
const UNSUPPORTED_FIELDS = ["Assign", "Arguments", "Output"];

export interface LintOptions {
  /** The smallest backoff rate accepted on a retrier; default 1.5 (exponential backoff). */
  readonly minBackoffRate?: number;
}

/**
 * Lints a parsed definition and returns one message per problem, each naming the state.
 * Rules: JSONPath only (no JSONata, `Assign`, or Distributed Map); every Task has `TimeoutSeconds`,
 * a `Retry` on transient errors only with exponential backoff and `JitterStrategy: FULL`, and a
 * `Catch` of `States.ALL`.
 */
export function lintDefinition(definition: unknown, options: LintOptions = {}): string[] {
  const minBackoff = options.minBackoffRate ?? 1.5;
  const problems: string[] = [];
  if (!isObject(definition) || !isObject(definition.States)) {
    return ["definition has no States object"];
  }
  if (definition.QueryLanguage !== undefined && definition.QueryLanguage !== "JSONPath") {
    problems.push(`QueryLanguage is ${JSON.stringify(definition.QueryLanguage)}: use JSONPath (the local runtime cannot run JSONata)`);
  }
  lintStates(definition.States, "", minBackoff, problems);
  return problems;
}

function lintStates(states: Json, prefix: string, minBackoff: number, problems: string[]): void {
  for (const [name, state] of Object.entries(states)) {
    const where = `state "${prefix}${name}"`;
    if (!isObject(state)) {
      problems.push(`${where} is not an object`);
      continue;
    }
    if (state.QueryLanguage !== undefined && state.QueryLanguage !== "JSONPath") {
      problems.push(`${where} uses QueryLanguage ${JSON.stringify(state.QueryLanguage)}: use JSONPath`);
    }
    for (const field of UNSUPPORTED_FIELDS) {
      if (field in state) problems.push(`${where} uses "${field}", which needs JSONata or variables: use Parameters/ResultSelector/ResultPath`);
    }
    if (state.Type === "Task") lintTask(state, where, minBackoff, problems);
    if (state.Type === "Map") lintMap(state, name, prefix, minBackoff, problems);
    if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, i) => {
        if (isObject(branch) && isObject(branch.States)) lintStates(branch.States, `${prefix}${name}[${i}].`, minBackoff, problems);
      });
    }
  }
}

function lintMap(state: Json, name: string, prefix: string, minBackoff: number, problems: string[]): void {
  const processor = isObject(state.ItemProcessor) ? state.ItemProcessor : isObject(state.Iterator) ? state.Iterator : undefined;
  const mode = isObject(processor?.ProcessorConfig) ? processor.ProcessorConfig.Mode : undefined;
  if (mode === "DISTRIBUTED" || "ItemReader" in state || "ResultWriter" in state) {
    problems.push(`state "${prefix}${name}" is a Distributed Map: use an inline Map (the local runtime ignores Distributed Map)`);
  }
  if (processor && isObject(processor.States)) lintStates(processor.States, `${prefix}${name}.`, minBackoff, problems);
}

function lintTask(state: Json, where: string, minBackoff: number, problems: string[]): void {
  if (typeof state.TimeoutSeconds !== "number" || state.TimeoutSeconds <= 0) {
    problems.push(`${where} has no TimeoutSeconds: set one, or a stuck call holds the execution for up to a year`);
  }
  const retry = Array.isArray(state.Retry) ? state.Retry : [];
  if (retry.length === 0) problems.push(`${where} has no Retry: retry its transient errors with backoff and jitter`);
  retry.forEach((retrier, i) => lintRetrier(retrier, `${where} Retry[${i}]`, minBackoff, problems));
  const catches = Array.isArray(state.Catch) ? state.Catch : [];
  const catchesAll = catches.some((c) => isObject(c) && Array.isArray(c.ErrorEquals) && c.ErrorEquals.includes("States.ALL"));
  if (!catchesAll) problems.push(`${where} has no Catch of States.ALL: route every failure to a state that records it`);
}

function lintRetrier(retrier: unknown, where: string, minBackoff: number, problems: string[]): void {
  if (!isObject(retrier)) {
    problems.push(`${where} is not an object`);
    return;
  }
  const errors = Array.isArray(retrier.ErrorEquals) ? retrier.ErrorEquals : [];
  if (errors.length === 0) problems.push(`${where} has no ErrorEquals`);
  const broad = errors.filter((e) => NON_TRANSIENT_RETRY_ERRORS.includes(String(e)));
  if (broad.length > 0) {
    problems.push(`${where} retries ${broad.join(", ")}: retry named transient errors only, so bad input fails fast`);
  }
  if (typeof retrier.BackoffRate !== "number" || retrier.BackoffRate < minBackoff) {
    problems.push(`${where} has BackoffRate ${String(retrier.BackoffRate)}: use at least ${minBackoff} for exponential backoff`);
  }
  if (retrier.JitterStrategy !== "FULL") {
    problems.push(`${where} has no JitterStrategy FULL: add it so retries of concurrent executions spread out`);
  }
  if (typeof retrier.MaxAttempts !== "number" || retrier.MaxAttempts < 1) {
    problems.push(`${where} has MaxAttempts ${String(retrier.MaxAttempts)}: set 1 or more`);
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
