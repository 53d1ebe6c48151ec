import { HANDLER_NAMES } from "../../infra/shared/bundling";
import { type DefinitionValues, HANDLER_PLACEHOLDERS, substituteDefinition } from "../../step-functions/ingest/definition";
import { resourceName } from "./arn";
import type { DeployedFunction, DeployedStack, DeployedStateMachine, TaggedResource } from "./deployed";
import { RepositoryError } from "./errors";
import type { ExpectedStack } from "./expected";
import { contentHash, firstDifference } from "./json-diff";

/** One line of the verifier's table. */
export interface CheckRow {
  readonly check: string;
  readonly expected: string;
  readonly deployed: string;
  readonly ok: boolean;
}

/** Compares the repository's side of a stack with the deployed side; every row is one check. */
export function compareStack(expected: ExpectedStack, deployed: DeployedStack): CheckRow[] {
  return [
    ...tagRows("Version", expected.version, deployed.resources),
    ...tagRows("ManagedBy", "pulumi", deployed.resources),
    ...inventoryRows(expected, deployed.resources),
    ...functionRows(expected, deployed.functions),
    ...stateMachineRows(expected, deployed),
  ];
}

/** One row when every resource carries the tag value; otherwise one row per resource that does not. */
export function tagRows(tag: string, want: string, resources: readonly TaggedResource[]): CheckRow[] {
  const wrong = resources.filter((r) => r.tags[tag] !== want);
  if (wrong.length === 0) return [{ check: `${tag} tag on all ${resources.length} resources`, expected: want, deployed: want, ok: true }];
  return wrong.map((r) => ({ check: `${tag} tag of ${r.type} ${resourceName(r.arn)}`, expected: want, deployed: r.tags[tag] ?? "(no tag)", ok: false }));
}

/** Per resource type: as many tagged resources as the program declares, naming the odd ones out. */
export function inventoryRows(expected: ExpectedStack, resources: readonly TaggedResource[]): CheckRow[] {
  const declared = expected.inventory.counts;
  const types = [...new Set([...Object.keys(declared), ...resources.map((r) => r.type)])].sort();
  return types.map((type) => {
    const want = declared[type] ?? 0;
    const found = resources.filter((r) => r.type === type);
    const names = found.map((r) => resourceName(r.arn)).join(", ");
    let deployed = String(found.length);
    if (found.length > want) deployed += want === 0 ? ` unknown to the program: ${names}` : ` (${found.length - want} unknown to the program): ${names}`;
    if (found.length < want) deployed += ` (${want - found.length} missing)${names ? `: ${names}` : ""}`;
    return { check: `${type} resources`, expected: String(want), deployed, ok: found.length === want };
  });
}

/** The one function tagged with each handler, its code behind `live`, and `live` on the latest code. */
export function functionRows(expected: ExpectedStack, functions: readonly DeployedFunction[]): CheckRow[] {
  const rows: CheckRow[] = [];
  for (const handler of HANDLER_NAMES) {
    const matches = functions.filter((f) => f.tags.Handler === handler);
    if (matches.length !== 1) {
      const deployed = matches.length === 0 ? "missing" : `${matches.length}: ${matches.map((f) => resourceName(f.arn)).join(", ")}`;
      rows.push({ check: `function ${handler}`, expected: `1 tagged Handler=${handler}`, deployed, ok: false });
    }
    for (const fn of matches) {
      const want = expected.codeSha256[handler];
      const live = fn.live;
      rows.push({
        check: `code of ${handler} (${live ? `live -> v${live.version}` : "no live alias"})`,
        expected: want,
        deployed: live ? live.codeSha256 : "(no live alias)",
        ok: live?.codeSha256 === want,
      });
      rows.push({
        check: `live alias of ${handler}`,
        expected: "the latest code",
        deployed: !live ? "missing" : live.codeSha256 === fn.latestCodeSha256 ? `v${live.version}` : `v${live.version}, but $LATEST has ${fn.latestCodeSha256}`,
        ok: live !== undefined && live.codeSha256 === fn.latestCodeSha256,
      });
    }
  }
  for (const fn of functions.filter((f) => !(HANDLER_NAMES as readonly string[]).includes(f.tags.Handler ?? ""))) {
    rows.push({ check: `function ${resourceName(fn.arn)}`, expected: "(unknown to the program)", deployed: `Handler=${fn.tags.Handler ?? "(no tag)"}`, ok: false });
  }
  return rows;
}

/**
 * The definition values as the program fills them: each handler's `live` alias ARN and the table's
 * name. Returns the placeholders nothing deployed can fill.
 */
export function deployedDefinitionValues(deployed: DeployedStack): { values: Partial<DefinitionValues>; missing: string[] } {
  const values: Partial<DefinitionValues> = {};
  const missing: string[] = [];
  for (const handler of HANDLER_NAMES) {
    const matches = deployed.functions.filter((f) => f.tags.Handler === handler);
    const alias = matches.length === 1 ? matches[0]?.live?.arn : undefined;
    if (alias) values[HANDLER_PLACEHOLDERS[handler]] = alias;
    else missing.push(`the live alias of ${handler}`);
  }
  const tables = deployed.resources.filter((r) => r.type === "dynamodb:table");
  if (tables.length === 1 && tables[0]) values.TableName = resourceName(tables[0].arn);
  else missing.push(tables.length === 0 ? "the table" : `one table (found ${tables.length})`);
  return { values, missing };
}

function parseDefinition(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function definitionRow(check: string, want: unknown, actual: string | undefined): CheckRow {
  const expected = `sha256 ${contentHash(want)}`;
  if (actual === undefined) return { check, expected, deployed: "(none)", ok: false };
  const got = parseDefinition(actual);
  const diff = firstDifference(want, got);
  const deployed = diff ? `sha256 ${contentHash(got)}; first difference at ${diff.path}: ${diff.actual} instead of ${diff.expected}` : expected;
  return { check, expected, deployed, ok: diff === undefined };
}

/** One state machine, whose `live` alias runs one version, both with the repository's definition. */
export function stateMachineRows(expected: ExpectedStack, deployed: DeployedStack): CheckRow[] {
  const machines: readonly DeployedStateMachine[] = deployed.stateMachines;
  const rows: CheckRow[] = [];
  if (machines.length !== 1) {
    rows.push({ check: "state machine", expected: "1", deployed: machines.length === 0 ? "missing" : machines.map((m) => resourceName(m.arn)).join(", "), ok: false });
    if (machines.length === 0) return rows;
  }
  const { values, missing } = deployedDefinitionValues(deployed);
  let want: unknown;
  if (missing.length === 0) {
    try {
      want = JSON.parse(substituteDefinition(expected.definitionTemplate, values as DefinitionValues));
    } catch (err) {
      throw new RepositoryError(`cannot substitute the repository's definition: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  for (const machine of machines) {
    const name = machines.length === 1 ? "state machine" : resourceName(machine.arn);
    const live = machine.live;
    const routes = live?.routes.map((r) => `v${r.versionArn.split(":").pop() ?? "?"} ${r.weight}%`).join(", ");
    const single = live !== undefined && live.routes.length === 1 && live.routes[0]?.weight === 100;
    rows.push({ check: `live alias of the ${name}`, expected: "one version, 100%", deployed: live ? routes || "(no routes)" : "missing", ok: single });
    if (want === undefined) {
      rows.push({ check: `definition of the ${name}`, expected: "the repository's, substituted", deployed: `cannot compare: no ${missing.join(", no ")} deployed`, ok: false });
      continue;
    }
    rows.push(definitionRow(`definition of the ${name}`, want, machine.latestDefinition));
    if (single) rows.push(definitionRow(`definition behind live (${routes?.split(" ")[0] ?? ""})`, want, live.definition));
  }
  return rows;
}
