/**
 * Relations between resources of a stack, for stack policies ("this bucket has a public-access
 * block"). In a real preview a new bucket's name is unknown, so a relation is first read from the
 * engine's `propertyDependencies` (which input came from which resource), and only then from values
 * (the offline preview under mocks, where every value is known but no dependencies are recorded).
 */
import type { PolicyResource } from "@pulumi/policy";
import { known } from "./props";

/** How a reference value names a target, e.g. a bucket by its `bucket` name or a role by its ARN. */
export type Matcher = (value: string, target: PolicyResource) => boolean;

/** The known string values of `keys` on a resource: its identifiers (`bucket`, `name`, `arn`, `id`). */
export function knownStrings(resource: PolicyResource, keys: readonly string[]): string[] {
  const values: string[] = [];
  for (const key of keys) {
    const read = known(() => resource.props[key] as unknown);
    if (read.known && typeof read.value === "string" && read.value.length > 0) values.push(read.value);
  }
  return values;
}

/** Matches when the reference equals one of the target's identifiers. */
export function byIdentifier(...keys: string[]): Matcher {
  return (value, target) => knownStrings(target, keys).includes(value);
}

/**
 * Whether `from.props[property]` refers to `target`: true, false, or undefined when neither the
 * dependencies nor the values can tell (an unknown value with no recorded dependency).
 */
export function refersTo(from: PolicyResource, property: string, target: PolicyResource, matches: Matcher): boolean | undefined {
  const deps = from.propertyDependencies?.[property] ?? [];
  if (deps.some((d) => d.urn === target.urn)) return true;
  const value = known(() => from.props[property] as unknown);
  if (value.known) {
    if (typeof value.value === "string") return matches(value.value, target);
    if (value.value === undefined) return false;
  }
  // A dependency on another resource of the target's type settles it; otherwise we cannot tell.
  return deps.some((d) => d.type === target.type) ? false : undefined;
}

/** Resources of `type` whose `property` refers to `target`, e.g. the SSE configurations of a bucket. */
export function referencing(
  resources: readonly PolicyResource[],
  type: string,
  property: string,
  target: PolicyResource,
  matches: Matcher,
): PolicyResource[] {
  return resources.filter((r) => r.type === type && refersTo(r, property, target, matches) === true);
}

/** Resources of `type` that `from.props[property]` refers to, e.g. the role of a state machine. */
export function referenced(
  resources: readonly PolicyResource[],
  from: PolicyResource,
  property: string,
  type: string,
  matches: Matcher,
): PolicyResource[] {
  return resources.filter((r) => r.type === type && refersTo(from, property, r, matches) === true);
}
