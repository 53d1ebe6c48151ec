/**
 * Evaluates a whole pack against a stack's resources, as `pulumi preview --policy-pack` does:
 * resource policies once per resource on its inputs, stack policies once on every resource's outputs,
 * each at the enforcement level the pack config resolves. `remediate` counts as mandatory (a
 * violation that remediation did not fix blocks), `disabled` policies do not run, and a policy that
 * reads a value unknown until deployment yields an advisory finding, as the engine reports it.
 */
import type { Policies, Severity } from "@pulumi/policy";
import type { ResolvedPolicyConfig } from "./pack-config";
import type { Json } from "./props";
import { isResourcePolicy, isStackPolicy, runResourcePolicy, runStackPolicy, type PolicyOutcome, type PolicySubject } from "./run-policy";

/** One resource of the stack with both property views the engine uses. */
export interface StackResource extends Omit<PolicySubject, "props"> {
  readonly inputs: Json;
  readonly outputs: Json;
}

export type ReportedLevel = "advisory" | "mandatory";

export interface EvaluatedViolation {
  readonly policy: string;
  readonly enforcementLevel: ReportedLevel;
  readonly severity: Severity | undefined;
  /** URN of the resource in violation; null when a stack policy faults the stack as a whole. */
  readonly resource: string | null;
  readonly resourceType: string | null;
  readonly resourceName: string | null;
  readonly message: string;
}

export interface Evaluation {
  /** Names of the policies that ran (every policy not disabled), in pack order. */
  readonly policies: string[];
  readonly violations: EvaluatedViolation[];
}

export const SEVERITY_ORDER: readonly Severity[] = ["critical", "high", "medium", "low"];

export async function evaluatePack(
  policies: Policies,
  resources: readonly StackResource[],
  config: ReadonlyMap<string, ResolvedPolicyConfig>,
): Promise<Evaluation> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const evaluated: string[] = [];
  const violations: EvaluatedViolation[] = [];
  const outputs: PolicySubject[] = resources.map((r) => ({ ...r, props: r.outputs }));
  for (const policy of policies) {
    const resolved = config.get(policy.name);
    if (!resolved) throw new Error(`no resolved config for policy '${policy.name}': reconcile the pack config first`);
    if (resolved.enforcementLevel === "disabled") continue;
    evaluated.push(policy.name);
    const level: ReportedLevel = resolved.enforcementLevel === "advisory" ? "advisory" : "mandatory";
    const record = (outcome: PolicyOutcome, fallbackUrn?: string) => {
      for (const v of outcome.violations) {
        const urn = v.urn ?? fallbackUrn ?? null;
        const subject = urn ? byUrn.get(urn) : undefined;
        violations.push({
          policy: policy.name,
          enforcementLevel: level,
          severity: policy.severity,
          resource: urn,
          resourceType: subject?.type ?? null,
          resourceName: subject?.name ?? null,
          message: v.message,
        });
      }
      for (const message of outcome.cannotRun) {
        const subject = fallbackUrn ? byUrn.get(fallbackUrn) : undefined;
        violations.push({
          policy: policy.name,
          enforcementLevel: "advisory",
          severity: policy.severity,
          resource: fallbackUrn ?? null,
          resourceType: subject?.type ?? null,
          resourceName: subject?.name ?? null,
          message,
        });
      }
    };
    if (isResourcePolicy(policy)) {
      for (const resource of resources) {
        record(await runResourcePolicy(policy, { ...resource, props: resource.inputs }, resolved.properties), resource.urn);
      }
    }
    if (isStackPolicy(policy)) {
      record(await runStackPolicy(policy, outputs, resolved.properties));
    }
  }
  return { policies: evaluated, violations };
}
