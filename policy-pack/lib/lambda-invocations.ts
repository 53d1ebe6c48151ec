/**
 * Which Lambda functions a state machine definition invokes, and which ones an IAM document lets a
 * role invoke: the two sides the "role invokes exactly the definition's functions" policy compares.
 */
import { parsePolicyDocument, wildcardMatch, type DocumentSource } from "./iam-documents";
import { asArray, asRecord, asString, isRecord, type Json } from "./props";

export interface Invocation {
  /** The state that invokes, with its Parallel/Map path, e.g. `Fan[0].Load`. */
  readonly state: string;
  /** A function ARN (possibly qualified), or a bare function name from `Parameters.FunctionName`. */
  readonly target: string;
}

export interface DefinitionInvocations {
  readonly invocations: Invocation[];
  /** States whose function is chosen at run time (`FunctionName.$`): no policy can check those. */
  readonly dynamic: string[];
}

const LAMBDA_INVOKE = /^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/;
const FUNCTION_ARN = /^arn:[^:]+:lambda:[^:]*:[^:]*:function:/;

export function definitionInvocations(definition: unknown): DefinitionInvocations {
  const result: DefinitionInvocations = { invocations: [], dynamic: [] };
  const root = asRecord(definition);
  if (root) walk(asRecord(root.States) ?? {}, "", result);
  return result;
}

function walk(states: Json, prefix: string, out: DefinitionInvocations): void {
  for (const [name, raw] of Object.entries(states)) {
    const state = asRecord(raw);
    if (!state) continue;
    const where = `${prefix}${name}`;
    if (state.Type === "Task") {
      const resource = asString(state.Resource) ?? "";
      const parameters = asRecord(state.Parameters) ?? asRecord(state.Arguments) ?? {};
      if (FUNCTION_ARN.test(resource)) out.invocations.push({ state: where, target: resource });
      else if (LAMBDA_INVOKE.test(resource)) {
        const fn = asString(parameters.FunctionName);
        if (fn) out.invocations.push({ state: where, target: fn });
        else out.dynamic.push(where);
      }
    }
    if (state.Type === "Parallel") {
      asArray(state.Branches).forEach((branch, i) => {
        if (isRecord(branch)) walk(asRecord(branch.States) ?? {}, `${where}[${i}].`, out);
      });
    }
    if (state.Type === "Map") {
      const processor = asRecord(state.ItemProcessor) ?? asRecord(state.Iterator);
      if (processor) walk(asRecord(processor.States) ?? {}, `${where}.`, out);
    }
  }
}

/** `arn:aws:lambda:r:a:function:name[:qualifier]` without the qualifier: the function itself. */
export function functionOf(arnOrName: string): string {
  return FUNCTION_ARN.test(arnOrName) ? arnOrName.split(":").slice(0, 7).join(":") : arnOrName.split(":")[0]!;
}

/** The function name of an ARN or name. */
export function functionName(arnOrName: string): string {
  return FUNCTION_ARN.test(arnOrName) ? arnOrName.split(":")[6]! : arnOrName.split(":")[0]!;
}

export interface InvokeGrant {
  /** Where the grant comes from, e.g. `role policy "workflow-invoke"`. */
  readonly source: string;
  /** The granted resource pattern. */
  readonly resource: string;
}

export interface InvokeGrants {
  readonly grants: InvokeGrant[];
  /** Grants that cannot be enumerated: NotResource / NotAction allows, malformed documents. */
  readonly problems: string[];
}

/** The resources on which a set of documents allows `lambda:InvokeFunction`. */
export function invokeGrants(documents: readonly (DocumentSource & { owner: string })[]): InvokeGrants {
  const result: InvokeGrants = { grants: [], problems: [] };
  for (const { owner, label, document } of documents) {
    const source = `${owner} ${label}`;
    const parsed = parsePolicyDocument(document);
    for (const error of parsed.errors) result.problems.push(`${source} ${error}`);
    for (const s of parsed.statements) {
      if (s.effect !== "Allow") continue;
      const invokes = s.actions.some((a) => wildcardMatch(a, "lambda:InvokeFunction", true));
      if (s.notActions.length > 0 && !s.notActions.some((a) => wildcardMatch(a, "lambda:InvokeFunction", true))) {
        result.problems.push(`${source} allows every action except ${s.notActions.join(", ")} (NotAction), which includes lambda:InvokeFunction`);
      }
      if (!invokes) continue;
      if (s.notResources.length > 0) result.problems.push(`${source} allows lambda:InvokeFunction on everything except ${s.notResources.join(", ")} (NotResource)`);
      for (const resource of s.resources.filter(mayNameFunctions)) result.grants.push({ source, resource });
    }
  }
  return result;
}

/** Whether a granted resource can name Lambda functions: `*`, or an ARN whose service is lambda (or a wildcard). */
function mayNameFunctions(resource: string): boolean {
  if (resource === "*") return true;
  const service = resource.split(":")[2];
  return resource.startsWith("arn:") && service !== undefined && (service === "lambda" || /[*?]/.test(service));
}

/** Whether a grant pattern covers an invocation target (an ARN, or a bare name matched on the name). */
export function grantCovers(grant: string, target: string): boolean {
  if (FUNCTION_ARN.test(target)) return wildcardMatch(grant, target);
  return FUNCTION_ARN.test(grant) && wildcardMatch(functionName(grant), target);
}

/** Whether a grant names whole sets of functions (a wildcard before the qualifier), rather than functions. */
export function isWildcardFunctionGrant(grant: string): boolean {
  return /[*?]/.test(functionOf(grant)) || !FUNCTION_ARN.test(grant);
}
