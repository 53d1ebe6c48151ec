import { GetAliasCommand, GetFunctionConfigurationCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { paginateGetResources, type ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { DescribeStateMachineAliasCommand, DescribeStateMachineCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { resourceType } from "./arn";
import { awsCall } from "./errors";

/**
 * The deployed side of a stack, read with the caller's credentials. Every call goes through
 * `awsCall`, which turns missing credentials and denied permissions into errors that say what to do.
 */

export interface VerifyClients {
  readonly sts: STSClient;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
}

/** The alias every function and the state machine carry; it is what the definition and callers invoke. */
export const LIVE_ALIAS = "live";

export interface TaggedResource {
  readonly arn: string;
  /** `<service>:<type>`, as `resourceType` reads it from the ARN. */
  readonly type: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface DeployedFunction {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  /** `CodeSha256` of `$LATEST`. */
  readonly latestCodeSha256: string;
  /** The `live` alias, or `undefined` when the function has none. */
  readonly live: { readonly arn: string; readonly version: string; readonly codeSha256: string } | undefined;
}

export interface DeployedStateMachine {
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
  /** The definition of the state machine itself (what a new version would publish). */
  readonly latestDefinition: string;
  /** The `live` alias with its routes, and the definition of the version it sends everything to. */
  readonly live:
    | {
        readonly arn: string;
        readonly routes: readonly { readonly versionArn: string; readonly weight: number }[];
        readonly definition: string | undefined;
      }
    | undefined;
}

export interface DeployedStack {
  /** Every resource tagged with the stack's Project and Environment that still exists. */
  readonly resources: readonly TaggedResource[];
  readonly functions: readonly DeployedFunction[];
  readonly stateMachines: readonly DeployedStateMachine[];
  /** Tag-index entries whose resource is gone: the Tagging API can list deleted resources for a while. */
  readonly vanished: readonly string[];
}

export async function callerAccount(sts: STSClient): Promise<string> {
  const identity = await awsCall("sts:GetCallerIdentity", undefined, () => sts.send(new GetCallerIdentityCommand({})));
  return identity.Account ?? "unknown";
}

/** Every resource carrying both tags, across all pages of `tag:GetResources`. */
export async function findTaggedResources(tagging: ResourceGroupsTaggingAPIClient, project: string, stack: string): Promise<TaggedResource[]> {
  const found: TaggedResource[] = [];
  const pages = paginateGetResources(
    { client: tagging, pageSize: 100 },
    { TagFilters: [{ Key: "Project", Values: [project] }, { Key: "Environment", Values: [stack] }] },
  );
  await awsCall("tag:GetResources", undefined, async () => {
    for await (const page of pages) {
      for (const mapping of page.ResourceTagMappingList ?? []) {
        if (!mapping.ResourceARN) continue;
        const tags = Object.fromEntries((mapping.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
        found.push({ arn: mapping.ResourceARN, type: resourceType(mapping.ResourceARN), tags });
      }
    }
  });
  return found.sort((a, b) => a.arn.localeCompare(b.arn));
}

const GONE = new Set(["ResourceNotFoundException", "ResourceNotFound", "StateMachineDoesNotExist"]);

function isGone(err: unknown): boolean {
  return err instanceof Error && GONE.has(err.name);
}

/** A function's `$LATEST` hash and its `live` alias; `undefined` when the function no longer exists. */
export async function readFunction(lambda: LambdaClient, resource: TaggedResource): Promise<DeployedFunction | undefined> {
  const { arn } = resource;
  let latest;
  try {
    latest = await awsCall("lambda:GetFunctionConfiguration", arn, () => lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arn })));
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
  let live: DeployedFunction["live"];
  try {
    const alias = await awsCall("lambda:GetAlias", arn, () => lambda.send(new GetAliasCommand({ FunctionName: arn, Name: LIVE_ALIAS })));
    const version = alias.FunctionVersion ?? "";
    const pinned = await awsCall("lambda:GetFunctionConfiguration", arn, () =>
      lambda.send(new GetFunctionConfigurationCommand({ FunctionName: arn, Qualifier: version })),
    );
    live = { arn: alias.AliasArn ?? `${arn}:${LIVE_ALIAS}`, version, codeSha256: pinned.CodeSha256 ?? "" };
  } catch (err) {
    if (!isGone(err)) throw err;
  }
  return { arn, tags: resource.tags, latestCodeSha256: latest.CodeSha256 ?? "", live };
}

/** A state machine's definition, its `live` alias and the definition that alias runs. */
export async function readStateMachine(sfn: SFNClient, resource: TaggedResource): Promise<DeployedStateMachine | undefined> {
  const { arn } = resource;
  let latest;
  try {
    latest = await awsCall("states:DescribeStateMachine", arn, () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })));
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
  const aliasArn = `${arn}:${LIVE_ALIAS}`;
  let live: DeployedStateMachine["live"];
  try {
    const alias = await awsCall("states:DescribeStateMachineAlias", aliasArn, () =>
      sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn })),
    );
    const routes = (alias.routingConfiguration ?? []).map((r) => ({ versionArn: r.stateMachineVersionArn ?? "", weight: r.weight ?? 0 }));
    const whole = routes.length === 1 && routes[0]?.weight === 100 ? routes[0] : undefined;
    const version = whole
      ? await awsCall("states:DescribeStateMachine", whole.versionArn, () => sfn.send(new DescribeStateMachineCommand({ stateMachineArn: whole.versionArn })))
      : undefined;
    live = { arn: alias.stateMachineAliasArn ?? aliasArn, routes, definition: version?.definition };
  } catch (err) {
    if (!isGone(err)) throw err;
  }
  return { arn, tags: resource.tags, latestDefinition: latest.definition ?? "", live };
}

/** Reads everything the checks compare. Runs the per-resource reads a few at a time. */
export async function readDeployedStack(clients: Omit<VerifyClients, "sts">, project: string, stack: string): Promise<DeployedStack> {
  const tagged = await findTaggedResources(clients.tagging, project, stack);
  const [functions, stateMachines] = await Promise.all([
    mapLimited(tagged.filter((r) => r.type === "lambda:function"), 4, (r) => readFunction(clients.lambda, r)),
    mapLimited(tagged.filter((r) => r.type === "states:stateMachine"), 4, (r) => readStateMachine(clients.sfn, r)),
  ]);
  const present = new Set([...functions, ...stateMachines].filter((x) => x !== undefined).map((x) => x.arn));
  const vanished = tagged.filter((r) => (r.type === "lambda:function" || r.type === "states:stateMachine") && !present.has(r.arn)).map((r) => r.arn);
  return {
    resources: tagged.filter((r) => !vanished.includes(r.arn)),
    functions: functions.filter((f): f is DeployedFunction => f !== undefined),
    stateMachines: stateMachines.filter((s): s is DeployedStateMachine => s !== undefined),
    vanished,
  };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
