import type { Context } from "aws-lambda";
import { randomUUID } from "node:crypto";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { DIST_DIR, type HandlerName } from "../infra/shared/bundling";
import { lambdaError, lambdaTimeoutError, TaskError } from "./aws-errors";

/** One deployed function as the local runtime plays it. */
export interface LambdaFunction {
  readonly handler: HandlerName;
  readonly functionName: string;
  /** The ARN the definition's Task names, alias included. */
  readonly invokedFunctionArn: string;
  /** The function's configured timeout; past it the invocation fails with `Sandbox.Timedout`. */
  readonly timeoutMs: number;
  readonly memoryMb: number;
}

type Handler = (event: unknown, context: Context, callback?: (error: unknown, result?: unknown) => void) => unknown;

const loadRequire = createRequire(__filename);

/**
 * Loaded handlers, keyed by bundle file, its size and mtime, and the environment it was loaded under.
 * Handlers keep SDK clients at module scope and those clients read their endpoints from the
 * environment, so a bundle loaded for one set of emulators is never reused for another.
 */
const loaded = new Map<string, Handler>();

export function bundlePath(handler: HandlerName, distDir: string = DIST_DIR): string {
  return join(distDir, "lambdas", handler, "index.js");
}

/**
 * Requires the bundle once per (file version, environment) and returns its `handler` export.
 * `env` must already be on `process.env` (see `enterEnv`): module-scope code may read it.
 */
export function loadHandler(handler: HandlerName, env: Readonly<Record<string, string>>, distDir: string = DIST_DIR): Handler {
  const file = bundlePath(handler, distDir);
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw new Error(`bundle ${file} is missing: run \`npm run build\` to bundle the handlers first`);
  }
  const envKey = JSON.stringify(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
  const cacheKey = `${file}\0${stat.size}\0${stat.mtimeMs}\0${envKey}`;
  const cached = loaded.get(cacheKey);
  if (cached) {
    return cached;
  }
  const resolved = loadRequire.resolve(file);
  delete loadRequire.cache[resolved];
  const mod: unknown = loadRequire(resolved);
  // A fresh module instance per environment: the next load must not get this one from require's cache.
  delete loadRequire.cache[resolved];
  const fn = mod !== null && typeof mod === "object" ? (mod as { handler?: unknown }).handler : undefined;
  if (typeof fn !== "function") {
    throw new Error(`bundle ${file} does not export a function named "handler"; Lambda's handler setting is index.handler`);
  }
  const typed = fn as Handler;
  loaded.set(cacheKey, typed);
  return typed;
}

function lambdaContext(fn: LambdaFunction, requestId: string, deadline: number): Context {
  const unsupported = (what: string) => () => {
    throw new Error(`context.${what}() is the pre-Node-8 Lambda API; return a value or throw instead`);
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: fn.functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: fn.invokedFunctionArn,
    memoryLimitInMB: String(fn.memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${fn.functionName}`,
    logStreamName: `local/[$LATEST]${requestId.replace(/-/g, "")}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported("done"),
    fail: unsupported("fail"),
    succeed: unsupported("succeed"),
  };
}

/** Lambda passes JSON in and out: what a handler sees and returns is exactly what survives JSON. */
function jsonRoundTrip(value: unknown, what: string): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : (JSON.parse(text) as unknown);
  } catch (error) {
    throw new TaskError("Runtime.MarshalError", JSON.stringify({ errorType: "Runtime.MarshalError", errorMessage: `Unable to marshal ${what}: ${String(error)}` }));
  }
}

/**
 * Invokes the bundled handler like Lambda does: a JSON copy of the event, a Lambda-like context, and a
 * race against the function's timeout. A thrown error becomes a `TaskError` named after the error
 * (what `ErrorEquals` matches) with Lambda's JSON cause. A timed-out handler cannot be stopped
 * in-process; its result is ignored, as Lambda ignores a frozen sandbox.
 */
export async function invokeLambda(fn: LambdaFunction, handler: Handler, event: unknown): Promise<unknown> {
  const requestId = randomUUID();
  const deadline = Date.now() + fn.timeoutMs;
  const payload = jsonRoundTrip(event, "the event");
  const context = lambdaContext(fn, requestId, deadline);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(lambdaTimeoutError(requestId, fn.timeoutMs)), fn.timeoutMs);
  });
  const run = new Promise<unknown>((resolve, reject) => {
    const callback = (error: unknown, result?: unknown) => (error ? reject(error) : resolve(result));
    try {
      const returned = handler(payload, context, callback);
      if (handler.length < 3 || (returned !== undefined && returned !== null)) {
        Promise.resolve(returned).then(resolve, reject);
      }
    } catch (error) {
      reject(error);
    }
  });
  // Settle to a value, never a rejection: a handler that fails after its timeout must not surface
  // as an unhandled rejection.
  const outcome = run.then(
    (value) => ({ ok: true as const, value }),
    (thrown: unknown) => ({ ok: false as const, thrown }),
  );
  try {
    const settled = await Promise.race([outcome, timedOut]);
    if (!settled.ok) {
      throw lambdaError(settled.thrown);
    }
    return jsonRoundTrip(settled.value, "the handler's result");
  } finally {
    clearTimeout(timer);
  }
}
