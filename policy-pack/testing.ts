/**
 * Test helper: runs one exported policy on resources built in the shapes the engine sends, through
 * the same runner as the offline preview (complete args, `notApplicable`, the unknown-value proxy),
 * with the policy's config reconciled from its schema defaults plus the overrides a test gives, and
 * validated as the CLI would. A case that turned out not applicable, or that could not run because
 * of an unknown value, fails loudly instead of passing as "no violations" (a policy with several
 * validations passes when at least one of them applied).
 */
import type { PolicyProviderResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { reconcilePackConfig } from "./lib/pack-config";
import type { Json } from "./lib/props";
import { runResourcePolicy, runStackPolicy, type PolicyOutcome, type PolicySubject } from "./lib/run-policy";

export { UNKNOWN } from "./lib/engine-proxy";

export interface TestResource {
  readonly type: string;
  readonly props: Json;
  /** Resource name; defaults to the last segment of the type, lower-cased (`bucket`). */
  readonly name?: string;
  readonly urn?: string;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /** The explicit provider, as the engine describes it (its config values JSON-encoded strings). */
  readonly provider?: PolicyProviderResource;
}

/** The URN the engine would give a top-level resource of this type and name. */
export function testUrn(type: string, name: string): string {
  return `urn:pulumi:test::batch-ingest::${type}::${name}`;
}

function subject(resource: TestResource): PolicySubject {
  const name = resource.name ?? (resource.type.split(":").pop() ?? "resource").toLowerCase();
  return {
    type: resource.type,
    name,
    urn: resource.urn ?? testUrn(resource.type, name),
    props: resource.props,
    ...(resource.parent ? { parent: resource.parent } : {}),
    ...(resource.dependencies ? { dependencies: resource.dependencies } : {}),
    ...(resource.propertyDependencies ? { propertyDependencies: resource.propertyDependencies } : {}),
    ...(resource.provider ? { provider: resource.provider } : {}),
  };
}

function configFor(policy: ResourceValidationPolicy | StackValidationPolicy, overrides: Json): Readonly<Record<string, unknown>> {
  const resolved = reconcilePackConfig([policy], new Map([[policy.name, { properties: overrides }]]), "advisory", "test config");
  return resolved.get(policy.name)!.properties;
}

/** Runs a resource policy on one resource and returns the whole outcome. */
export async function checkResource(policy: ResourceValidationPolicy, resource: TestResource, config: Json = {}): Promise<PolicyOutcome> {
  return runResourcePolicy(policy, subject(resource), configFor(policy, config));
}

/** Runs a stack policy on a list of resources and returns the whole outcome. */
export async function checkStack(policy: StackValidationPolicy, resources: readonly TestResource[], config: Json = {}): Promise<PolicyOutcome> {
  return runStackPolicy(policy, resources.map(subject), configFor(policy, config));
}

function messagesOf(policy: { name: string }, outcome: PolicyOutcome): string[] {
  if (outcome.cannotRun.length > 0) throw new Error(`policy '${policy.name}' could not run: ${outcome.cannotRun.join("; ")}`);
  if (outcome.ran === 0) throw new Error(`policy '${policy.name}' was not applicable: ${outcome.notApplicable.join("; ")}`);
  return outcome.violations.map((v) => v.message);
}

/** The violation messages of a resource policy that must apply to `resource`. */
export async function resourceViolations(policy: ResourceValidationPolicy, resource: TestResource, config: Json = {}): Promise<string[]> {
  return messagesOf(policy, await checkResource(policy, resource, config));
}

/** The violation messages of a stack policy that must apply to `resources`. */
export async function stackViolations(policy: StackValidationPolicy, resources: readonly TestResource[], config: Json = {}): Promise<string[]> {
  return messagesOf(policy, await checkStack(policy, resources, config));
}
