import { HANDLER_NAMES, type HandlerName } from "./shared/bundling";
import { HANDLER_PLACEHOLDERS, substituteDefinition, type DefinitionValues } from "../step-functions/ingest/definition";
import { taskStates as parseTaskStates, type TaskStateInfo } from "../step-functions/tasks";
import { aslValidationErrors } from "../step-functions/validation";

/**
 * What the Pulumi program reads from the workflow definition: each handler's Task timeout (the
 * functions' timeouts must stay below it), the service integrations its Task states call (the
 * workflow role grants exactly those), and the substituted, validated document that deploys.
 */


/** Every Task state of the definition template, nested states (Parallel, Map) included. */
export function taskStates(template: string): TaskStateInfo[] {
  return parseTaskStates(JSON.parse(template));
}

export interface HandlerTask {
  /** The Task state that invokes the handler, e.g. `Transform`. */
  readonly state: string;
  readonly timeoutSeconds: number;
}

/** The Task state of each handler (the one whose Resource is the handler's placeholder) and its timeout. */
export function handlerTasks(template: string): Record<HandlerName, HandlerTask> {
  const tasks = taskStates(template);
  const result = {} as Record<HandlerName, HandlerTask>;
  for (const handler of HANDLER_NAMES) {
    const placeholder = `\${${HANDLER_PLACEHOLDERS[handler]}}`;
    const task = tasks.find((t) => t.resource === placeholder);
    if (!task) throw new Error(`the definition has no Task with Resource "${placeholder}": every handler must be invoked by one Task`);
    if (task.timeoutSeconds === undefined) {
      throw new Error(`Task "${task.name}" has no TimeoutSeconds: set one, so the function's timeout can be checked against it`);
    }
    result[handler] = { state: task.name, timeoutSeconds: task.timeoutSeconds };
  }
  return result;
}

/** The Resources of the Task states that call AWS services directly (`arn:aws:states:::...`), sorted. */
export function serviceIntegrations(template: string): string[] {
  const placeholders = new Set(Object.values(HANDLER_PLACEHOLDERS).map((p) => `\${${p}}`));
  return [...new Set(taskStates(template).map((t) => t.resource).filter((r) => !placeholders.has(r)))].sort();
}

/**
 * Substitutes the ARNs and names into the template and validates the result with asl-validator.
 * Runs inside the apply that builds the state machine's definition, so an invalid definition fails
 * the preview with the validator's messages.
 */
export function renderDefinition(template: string, values: DefinitionValues): string {
  const definition = substituteDefinition(template, values);
  const errors = aslValidationErrors(definition);
  if (errors.length > 0) {
    throw new Error(`the ingest workflow definition is invalid (asl-validator): ${errors.join("; ")}`);
  }
  return definition;
}
