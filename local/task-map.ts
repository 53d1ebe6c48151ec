import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { S3Client } from "@aws-sdk/client-s3";
import { TaskError } from "./aws-errors";
import type { FaultPlan, InjectedFault } from "./faults";
import { invokeLambda, type LambdaFunction, type loadHandler } from "./lambda-invoker";
import { DYNAMODB_ACTIONS, dynamoIntegration, s3Integration, type TaskRunner } from "./service-integrations";
import type { RunOptions, StateMachineDefinition } from "./state-machine";
import { taskStates, type TaskStateInfo } from "../step-functions/tasks";

export { taskStates, type TaskStateInfo };

type LocalHandlers = NonNullable<NonNullable<RunOptions["overrides"]>["taskResourceLocalHandlers"]>;
type LocalHandler = LocalHandlers[string];
type JSONValue = Parameters<LocalHandler>[0];

export interface TaskMapDeps {
  /** Lambda functions by the ARN the definition's `Resource` names. */
  readonly lambdas: ReadonlyMap<string, { fn: LambdaFunction; handler: ReturnType<typeof loadHandler> }>;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  readonly faults: FaultPlan;
}

const DYNAMODB_PREFIX = "arn:aws:states:::dynamodb:";
const S3_SDK_PREFIX = "arn:aws:states:::aws-sdk:s3:";

function unsupported(task: TaskStateInfo, lambdaArns: Iterable<string>): Error {
  return new Error(
    `Task state "${task.name}" has Resource "${task.resource}", which the local runtime cannot run. ` +
      `It runs the handler ARNs (${[...lambdaArns].join(", ")}), ${DYNAMODB_PREFIX}{${DYNAMODB_ACTIONS.join(",")}} ` +
      `and ${S3_SDK_PREFIX}<action>; map the new resource in local/task-map.ts.`,
  );
}

function resolveRunner(task: TaskStateInfo, deps: TaskMapDeps): { run: TaskRunner; kind: "lambda" | "service" } {
  const lambda = deps.lambdas.get(task.resource);
  if (lambda) {
    return { run: (input) => invokeLambda(lambda.fn, lambda.handler, input), kind: "lambda" };
  }
  let run: TaskRunner | undefined;
  if (task.resource.startsWith(DYNAMODB_PREFIX)) {
    run = dynamoIntegration(task.resource.slice(DYNAMODB_PREFIX.length), deps.dynamo);
  } else if (task.resource.startsWith(S3_SDK_PREFIX)) {
    run = s3Integration(task.resource.slice(S3_SDK_PREFIX.length), deps.s3);
  }
  if (!run) {
    throw unsupported(task, deps.lambdas.keys());
  }
  return { run, kind: "service" };
}

/** An injected fault, shaped like the real thing: Lambda faults carry Lambda's JSON cause. */
function faultError(fault: InjectedFault, kind: "lambda" | "service"): TaskError {
  const cause = kind === "lambda" ? JSON.stringify({ errorType: fault.error, errorMessage: fault.cause, trace: [] }) : fault.cause;
  return new TaskError(fault.error, cause);
}

/**
 * `taskResourceLocalHandlers` for every Task state of the definition, keyed by state name. A Task
 * whose resource the runtime cannot play throws here, naming the state, before anything runs.
 */
export function buildTaskHandlers(definition: StateMachineDefinition, deps: TaskMapDeps): LocalHandlers {
  const handlers: LocalHandlers = {};
  for (const task of taskStates(definition)) {
    const { run, kind } = resolveRunner(task, deps);
    handlers[task.name] = async (input: JSONValue): Promise<JSONValue> => {
      const fault = deps.faults.next(task.name);
      if (fault?.when === "before") {
        throw faultError(fault, kind);
      }
      const result = await run(input);
      if (fault?.when === "after") {
        throw faultError(fault, kind);
      }
      return result as JSONValue;
    };
  }
  return handlers;
}
