/**
 * Runs one policy the way the Pulumi engine's analyzer does (see `@pulumi/policy/server.js`): complete
 * `ResourceValidationArgs` / `StackValidationArgs`, props behind the engine's unknown-checking proxy,
 * `notApplicable` that throws, a fast skip for validations bound to another type, and an unknown value
 * turned into a "can't run during preview" finding rather than a crash. Tests and the offline preview
 * both run policies through here, so neither hand-rolls partial args.
 */
import type {
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { Resource, Unwrap } from "@pulumi/pulumi";
import { isUnknownValueError, unknownCheckingProxy } from "./engine-proxy";
import { isRecord, type Json } from "./props";

/** A resource as the engine describes it to a policy. `props` are inputs (resource policies) or outputs (stack policies). */
export interface PolicySubject {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Json;
  readonly opts?: Partial<PolicyResourceOptions>;
  readonly provider?: PolicyProviderResource;
  /** URN of the parent resource. */
  readonly parent?: string;
  /** URNs of the resources this one depends on. */
  readonly dependencies?: readonly string[];
  /** Input name -> URNs of the resources that input's value came from. */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface ReportedViolation {
  readonly message: string;
  /** The resource the violation is about; for a resource policy, always the subject. */
  readonly urn?: string;
}

export interface PolicyOutcome {
  readonly violations: ReportedViolation[];
  /** Reasons the policy (or one of its validations) did not apply. */
  readonly notApplicable: string[];
  /** Validations that read a value unknown until deployment; the engine reports these as advisory. */
  readonly cannotRun: string[];
  /** How many validations ran to the end (a policy with several validations may apply only in part). */
  ran: number;
}

class NotApplicableError extends Error {
  constructor(readonly reason: string | undefined) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

const EMPTY_TAGS: ReadonlyMap<string, string> = new Map();

type ResourceClass = { new (...rest: never[]): Resource } & { __pulumiType?: unknown; isInstance?: (obj: unknown) => boolean };

/** A resource policy, as the engine tells them apart: it has `validateResource` (or only `remediateResource`). */
export function isResourcePolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is ResourceValidationPolicy {
  const p = policy as Partial<ResourceValidationPolicy>;
  const v = p.validateResource;
  if (typeof v === "function") return true;
  if (Array.isArray(v)) return v.every((f) => typeof f === "function");
  return typeof p.remediateResource === "function";
}

export function isStackPolicy(policy: ResourceValidationPolicy | StackValidationPolicy): policy is StackValidationPolicy {
  return typeof (policy as Partial<StackValidationPolicy>).validateStack === "function";
}

/** The type token a validation function or resource class is bound to, as `validateResourceOfType` attaches it. */
export function pulumiTypeOf(value: unknown): string | undefined {
  const type = (value as { __pulumiType?: unknown } | undefined)?.__pulumiType;
  return typeof type === "string" && type.length > 0 ? type : undefined;
}

function isTypeOf(type: string, resourceClass: ResourceClass): boolean {
  const bound = pulumiTypeOf(resourceClass);
  if (bound) return type === bound;
  return typeof resourceClass.isInstance === "function" && resourceClass.isInstance({ __pulumiType: type }) === true;
}

/** A fresh deep copy per validation, as the engine deserializes props per call; assets are kept as they are. */
function copyProps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyProps);
  if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = copyProps(v);
    return out;
  }
  return value;
}

function options(opts: Partial<PolicyResourceOptions> | undefined, parent: string | undefined): PolicyResourceOptions {
  const result: PolicyResourceOptions = {
    protect: opts?.protect ?? false,
    ignoreChanges: opts?.ignoreChanges ?? [],
    aliases: opts?.aliases ?? [],
    customTimeouts: opts?.customTimeouts ?? { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: opts?.additionalSecretOutputs ?? [],
  };
  if (opts?.deleteBeforeReplace !== undefined) result.deleteBeforeReplace = opts.deleteBeforeReplace;
  if (parent ?? opts?.parent) result.parent = parent ?? opts?.parent;
  return result;
}

/** Complete `ResourceValidationArgs` for one subject and one policy's resolved config properties. */
export function resourceArgs(subject: PolicySubject, config: Readonly<Record<string, unknown>>, stackTags = EMPTY_TAGS): ResourceValidationArgs {
  const props = unknownCheckingProxy(copyProps(subject.props) as Json);
  const args: ResourceValidationArgs = {
    type: subject.type,
    props,
    urn: subject.urn,
    name: subject.name,
    opts: options(subject.opts, subject.parent),
    stackTags,
    isType: (resourceClass) => isTypeOf(subject.type, resourceClass as ResourceClass),
    asType: <TResource extends Resource, TArgs>(resourceClass: { new (name: string, args: TArgs, ...rest: never[]): TResource }) =>
      isTypeOf(subject.type, resourceClass as unknown as ResourceClass) ? (props as Unwrap<NonNullable<TArgs>>) : undefined,
    getConfig: <T extends object>() => structuredClone(config) as T,
    notApplicable: throwNotApplicable,
  };
  if (subject.provider) args.provider = subject.provider;
  return args;
}

/** Complete `StackValidationArgs`, with parents and dependencies linked to the resource objects. */
export function stackArgs(subjects: readonly PolicySubject[], config: Readonly<Record<string, unknown>>, stackTags = EMPTY_TAGS): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  const resources = subjects.map((subject) => {
    const props = unknownCheckingProxy(copyProps(subject.props) as Json);
    const resource: PolicyResource = {
      type: subject.type,
      props,
      urn: subject.urn,
      name: subject.name,
      opts: options(subject.opts, subject.parent),
      dependencies: [],
      propertyDependencies: {},
      isType: (resourceClass) => isTypeOf(subject.type, resourceClass as ResourceClass),
      asType: (resourceClass) => (isTypeOf(subject.type, resourceClass as ResourceClass) ? (props as never) : undefined),
    };
    if (subject.provider) resource.provider = subject.provider;
    byUrn.set(subject.urn, resource);
    return resource;
  });
  subjects.forEach((subject, i) => {
    const resource = resources[i]!;
    const parent = subject.parent ?? subject.opts?.parent;
    if (parent && byUrn.has(parent)) resource.parent = byUrn.get(parent);
    resource.dependencies = (subject.dependencies ?? []).flatMap((urn) => byUrn.get(urn) ?? []);
    for (const [key, urns] of Object.entries(subject.propertyDependencies ?? {})) {
      resource.propertyDependencies[key] = urns.flatMap((urn) => byUrn.get(urn) ?? []);
    }
  });
  return { resources, getConfig: <T extends object>() => structuredClone(config) as T, stackTags, notApplicable: throwNotApplicable };
}

async function guarded(policyName: string, outcome: PolicyOutcome, run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
    outcome.ran += 1;
  } catch (err) {
    if (err instanceof NotApplicableError) outcome.notApplicable.push(err.reason ?? "Policy does not apply");
    else if (isUnknownValueError(err)) outcome.cannotRun.push(`can't run policy '${policyName}' during preview: ${err.message}`);
    else throw new Error(`policy '${policyName}' failed: ${(err as Error).message}`, { cause: err });
  }
}

/** Runs a resource policy on one resource. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  subject: PolicySubject,
  config: Readonly<Record<string, unknown>> = {},
): Promise<PolicyOutcome> {
  const outcome: PolicyOutcome = { violations: [], notApplicable: [], cannotRun: [], ran: 0 };
  const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  if (validations.length === 0) {
    outcome.notApplicable.push("Policy does not implement validateResource");
    return outcome;
  }
  const bound = validations.length === 1 ? pulumiTypeOf(validations[0]) : undefined;
  if (bound && bound !== subject.type) {
    outcome.notApplicable.push(`Policy only applies to resources of type '${bound}'`);
    return outcome;
  }
  const report: ReportViolation = (message) => outcome.violations.push({ message, urn: subject.urn });
  for (const validation of validations) {
    await guarded(policy.name, outcome, () => validation(resourceArgs(subject, config), report));
  }
  return outcome;
}

/** Runs a stack policy on every resource of a stack. */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  subjects: readonly PolicySubject[],
  config: Readonly<Record<string, unknown>> = {},
): Promise<PolicyOutcome> {
  const outcome: PolicyOutcome = { violations: [], notApplicable: [], cannotRun: [], ran: 0 };
  const bound = pulumiTypeOf(policy.validateStack);
  if (bound && !subjects.some((s) => s.type === bound)) {
    outcome.notApplicable.push(`Policy only applies to resources of type '${bound}'`);
    return outcome;
  }
  const report: ReportViolation = (message, urn) => outcome.violations.push(urn === undefined ? { message } : { message, urn });
  await guarded(policy.name, outcome, () => policy.validateStack(stackArgs(subjects, config), report));
  return outcome;
}
