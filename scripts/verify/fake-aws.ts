/**
 * A deployed stack faked with aws-sdk-client-mock, answering the verifier's calls the way AWS does:
 * real ARN formats, base64 `CodeSha256`, `ResourceTagMappingList` pages joined by `PaginationToken`,
 * and the service's own exception classes. Tests describe a `World`, change one thing, and verify.
 */
import {
  GetAliasCommand,
  type GetAliasCommandInput,
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandInput,
  LambdaClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { GetResourcesCommand, type GetResourcesCommandInput, ResourceGroupsTaggingAPIClient, type ResourceTagMapping } from "@aws-sdk/client-resource-groups-tagging-api";
import {
  DescribeStateMachineAliasCommand,
  type DescribeStateMachineAliasCommandInput,
  DescribeStateMachineCommand,
  type DescribeStateMachineCommandInput,
  ResourceNotFound,
  SFNClient,
  StateMachineDoesNotExist,
} from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { HANDLER_NAMES } from "../../infra/shared/bundling";
import { TAGGABLE_TYPES } from "../../infra/tags";
import type { RecordedResource } from "../../infra/testing/harness";
import { MOCK_ACCOUNT_ID } from "../../infra/testing/mocks";
import { type DefinitionValues, HANDLER_PLACEHOLDERS, substituteDefinition } from "../../step-functions/ingest/definition";
import type { VerifyClients } from "./deployed";
import type { ExpectedStack } from "./expected";
import { REMOTE_CHILDREN, TAGGING_API_TYPES } from "./resource-types";

/** The account and region of the program's offline runs, so their ARNs are this world's ARNs. */
export const ACCOUNT = MOCK_ACCOUNT_ID;
export const REGION = "eu-west-1";

export interface FakeFunction {
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly latestCodeSha256: string;
  /** The `live` alias: the version it points at and that version's code; `undefined`: no alias. */
  readonly live: { readonly version: string; readonly codeSha256: string } | undefined;
  /** Still in the tag index, but deleted. */
  readonly deleted?: boolean;
}

export interface FakeStateMachine {
  readonly name: string;
  readonly tags: Record<string, string>;
  readonly latestDefinition: string;
  /** Routes of the `live` alias (version number -> weight) and each version's definition. */
  readonly live: { readonly routes: Record<string, number>; readonly versions: Record<string, string> } | undefined;
}

export interface World {
  readonly functions: FakeFunction[];
  readonly stateMachines: FakeStateMachine[];
  /** Any other tagged resource: ARN -> tags. */
  readonly others: Record<string, Record<string, string>>;
  /** Resources per `GetResources` page. */
  readonly pageSize: number;
}

const arn = (service: string, resource: string): string => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
export const functionArn = (name: string): string => arn("lambda", `function:${name}`);
export const stateMachineArn = (name: string): string => arn("states", `stateMachine:${name}`);
export const TABLE_NAME = "batch-ingest-dev-jobs-3f9a2c1";

export function stackTags(expected: ExpectedStack, extra: Record<string, string> = {}): Record<string, string> {
  return { Project: expected.project, Environment: expected.stack, Version: expected.version, ManagedBy: "pulumi", ...extra };
}

/** The definition the program would deploy, with these function names and the table. */
export function deployedDefinition(expected: ExpectedStack, functionNames: Record<string, string>): string {
  const values = { TableName: TABLE_NAME } as DefinitionValues;
  for (const handler of HANDLER_NAMES) values[HANDLER_PLACEHOLDERS[handler]] = `${functionArn(functionNames[handler] ?? handler)}:live`;
  return substituteDefinition(expected.definitionTemplate, values);
}

/** A deployment that matches `expected` in every check. */
export function matchingWorld(expected: ExpectedStack): World {
  const names = Object.fromEntries(HANDLER_NAMES.map((h) => [h, `batch-ingest-dev-${h}-${h.length}a7e01f`]));
  const functions: FakeFunction[] = HANDLER_NAMES.map((h) => ({
    name: names[h] ?? h,
    tags: stackTags(expected, { Handler: h }),
    latestCodeSha256: expected.codeSha256[h],
    live: { version: "7", codeSha256: expected.codeSha256[h] },
  }));
  const definition = deployedDefinition(expected, names);
  const others: Record<string, Record<string, string>> = {
    [`arn:aws:s3:::batch-ingest-dev-data-20261204093000000000000001`]: stackTags(expected),
    [arn("dynamodb", `table/${TABLE_NAME}`)]: stackTags(expected),
    [arn("logs", "log-group:/aws/vendedlogs/states/batch-ingest-dev-ingest")]: stackTags(expected),
  };
  for (const h of HANDLER_NAMES) others[arn("logs", `log-group:/aws/lambda/${names[h] ?? h}`)] = stackTags(expected);
  return {
    functions,
    stateMachines: [{ name: "batch-ingest-dev-ingest-9c41d2e", tags: stackTags(expected), latestDefinition: definition, live: { routes: { "3": 100 }, versions: { "3": definition } } }],
    others,
    pageSize: 4,
  };
}

/**
 * The stack as `pulumi up` would leave it, from an offline run of the program: every tagged resource
 * at the ARN the mocks gave it with the tags the program set, each function and the state machine
 * published as version 1 behind `live`, and the awsx VPC's children, which mocks never see.
 */
export function worldFromProgram(resources: readonly RecordedResource[]): World {
  const text = (v: unknown): string => (typeof v === "string" ? v : "");
  const tagsOf = (r: RecordedResource): Record<string, string> => {
    const tags = r.inputs.tags;
    return typeof tags === "object" && tags !== null ? Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, text(v)])) : {};
  };
  const world: World = { functions: [], stateMachines: [], others: {}, pageSize: 25 };
  for (const r of resources.filter((x) => TAGGABLE_TYPES.includes(x.type))) {
    if (r.type === "aws:lambda/function:Function") {
      const code = text(r.inputs.codeSha256);
      world.functions.push({ name: text(r.state.name), tags: tagsOf(r), latestCodeSha256: code, live: { version: "1", codeSha256: code } });
    } else if (r.type === "aws:sfn/stateMachine:StateMachine") {
      const definition = text(r.inputs.definition);
      world.stateMachines.push({ name: text(r.state.name), tags: tagsOf(r), latestDefinition: definition, live: { routes: { "1": 100 }, versions: { "1": definition } } });
    } else if (REMOTE_CHILDREN[r.type]) {
      for (const [type, n] of Object.entries(REMOTE_CHILDREN[r.type]?.(r.inputs) ?? {})) {
        for (let i = 0; i < n; i++) world.others[arn("ec2", `${type.split(":")[1]}/${r.name}-${i}`)] = tagsOf(r);
      }
    } else if (TAGGING_API_TYPES[r.type]) {
      world.others[text(r.state.arn)] = tagsOf(r);
    }
  }
  return world;
}

/** The clients the verifier takes, each answered from the world, and their stubs for overrides. */
export function mockAws(world: World) {
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" };
  const clients: VerifyClients = {
    sts: new STSClient({ region: REGION, credentials }),
    tagging: new ResourceGroupsTaggingAPIClient({ region: REGION, credentials }),
    lambda: new LambdaClient({ region: REGION, credentials }),
    sfn: new SFNClient({ region: REGION, credentials }),
  };

  const stubs = { sts: mockClient(clients.sts), tagging: mockClient(clients.tagging), lambda: mockClient(clients.lambda), sfn: mockClient(clients.sfn) };
  stubs.sts
    .on(GetCallerIdentityCommand)
    .resolves({ UserId: "AROAEXAMPLEID:verify", Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/batch-ingest-verify/verify` });

  const mappings: ResourceTagMapping[] = [
    ...world.functions.map((f) => ({ ResourceARN: functionArn(f.name), Tags: toTagList(f.tags) })),
    ...world.stateMachines.map((s) => ({ ResourceARN: stateMachineArn(s.name), Tags: toTagList(s.tags) })),
    ...Object.entries(world.others).map(([a, tags]) => ({ ResourceARN: a, Tags: toTagList(tags) })),
  ];
  stubs.tagging
    .on(GetResourcesCommand)
    .callsFake((input: GetResourcesCommandInput) => {
      const wanted = input.TagFilters ?? [];
      const matching = mappings.filter((m) => wanted.every((f) => (m.Tags ?? []).some((t) => t.Key === f.Key && (f.Values ?? []).includes(t.Value ?? ""))));
      const start = input.PaginationToken ? Number(input.PaginationToken.replace("page-", "")) : 0;
      const end = start + world.pageSize;
      return { ResourceTagMappingList: matching.slice(start, end), PaginationToken: end < matching.length ? `page-${end}` : "" };
    });

  const byArn = new Map(world.functions.map((f) => [functionArn(f.name), f]));
  const notFound = (what: string): ResourceNotFoundException =>
    new ResourceNotFoundException({ message: `Function not found: ${what}`, Type: "User", $metadata: { httpStatusCode: 404 } });
  stubs.lambda
    .on(GetFunctionConfigurationCommand)
    .callsFake((input: GetFunctionConfigurationCommandInput) => {
      const fn = byArn.get(input.FunctionName ?? "");
      if (!fn || fn.deleted) throw notFound(input.FunctionName ?? "");
      const pinned = input.Qualifier && input.Qualifier !== "$LATEST";
      if (pinned && fn.live?.version !== input.Qualifier) throw notFound(`${input.FunctionName}:${input.Qualifier}`);
      return {
        FunctionName: fn.name,
        FunctionArn: pinned ? `${functionArn(fn.name)}:${input.Qualifier}` : functionArn(fn.name),
        Runtime: "nodejs22.x",
        Handler: "index.handler",
        CodeSha256: pinned ? fn.live?.codeSha256 : fn.latestCodeSha256,
        Version: pinned ? input.Qualifier : "$LATEST",
        State: "Active",
      };
    })
    .on(GetAliasCommand)
    .callsFake((input: GetAliasCommandInput) => {
      const fn = byArn.get(input.FunctionName ?? "");
      if (!fn?.live || input.Name !== "live") throw notFound(`${input.FunctionName}:${input.Name}`);
      return { AliasArn: `${functionArn(fn.name)}:live`, Name: "live", FunctionVersion: fn.live.version, RevisionId: "1e2b7a54-6a5f-4e0b-9f7e-2a3b4c5d6e7f" };
    });

  const machines = new Map(world.stateMachines.map((s) => [stateMachineArn(s.name), s]));
  stubs.sfn
    .on(DescribeStateMachineCommand)
    .callsFake((input: DescribeStateMachineCommandInput) => {
      const requested = input.stateMachineArn ?? "";
      const version = /:(\d+)$/.exec(requested)?.[1];
      const base = version ? requested.slice(0, -(version.length + 1)) : requested;
      const machine = machines.get(base);
      const definition = version ? machine?.live?.versions[version] : machine?.latestDefinition;
      if (!machine || definition === undefined) throw new StateMachineDoesNotExist({ message: `State Machine Does Not Exist: '${requested}'`, $metadata: { httpStatusCode: 400 } });
      return { stateMachineArn: requested, name: machine.name, status: "ACTIVE", definition, roleArn: `arn:aws:iam::${ACCOUNT}:role/${machine.name}-role`, type: "STANDARD", creationDate: new Date("2026-12-01T10:00:00Z") };
    })
    .on(DescribeStateMachineAliasCommand)
    .callsFake((input: DescribeStateMachineAliasCommandInput) => {
      const aliasArn = input.stateMachineAliasArn ?? "";
      const machine = machines.get(aliasArn.replace(/:live$/, ""));
      if (!machine?.live || !aliasArn.endsWith(":live")) throw new ResourceNotFound({ message: `Resource not found: '${aliasArn}'`, $metadata: { httpStatusCode: 400 } });
      return {
        stateMachineAliasArn: aliasArn,
        name: "live",
        routingConfiguration: Object.entries(machine.live.routes).map(([v, weight]) => ({ stateMachineVersionArn: `${stateMachineArn(machine.name)}:${v}`, weight })),
      };
    });

  return { clients, stubs };
}

function toTagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
