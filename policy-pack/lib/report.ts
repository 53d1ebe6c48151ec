/**
 * What the offline preview prints: the plan (every resource under its parent, with its key
 * settings) and the policy report (violations grouped by enforcement level, then by severity), or
 * the same as one JSON object for CI.
 */
import type { EvaluatedViolation } from "./evaluate";
import { SEVERITY_ORDER } from "./evaluate";
import { formatSettings, type Settings } from "./key-settings";

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly parent: string | null;
  /** Pulumi's `protect` option: the resource cannot be deleted by `pulumi destroy`/`up`. */
  readonly protect: boolean;
  readonly settings: Settings;
}

export interface PreviewReport {
  readonly stack: string;
  /** The policy config file the enforcement levels came from, relative to the repository. */
  readonly policyConfig: string;
  readonly resources: PlannedResource[];
  readonly policies: string[];
  readonly violations: EvaluatedViolation[];
  readonly summary: { readonly mandatory: number; readonly advisory: number };
}

export function summarize(violations: readonly EvaluatedViolation[]): PreviewReport["summary"] {
  return {
    mandatory: violations.filter((v) => v.enforcementLevel === "mandatory").length,
    advisory: violations.filter((v) => v.enforcementLevel === "advisory").length,
  };
}

/** The plan as an indented tree: children under their component, in registration order. */
export function formatPlan(report: PreviewReport): string {
  const byUrn = new Map(report.resources.map((r) => [r.urn, r]));
  const depth = (r: PlannedResource): number => {
    let d = 0;
    for (let p = r.parent; p && byUrn.has(p) && d < 20; p = byUrn.get(p)!.parent) d += 1;
    return d;
  };
  const lines = [`Plan for stack ${report.stack}: ${report.resources.length} resources (offline, under mocks)`];
  for (const r of report.resources) {
    const settings = formatSettings(r.settings);
    lines.push(`${"  ".repeat(depth(r) + 1)}+ ${r.type} ${r.name}${r.protect ? " [protect]" : ""}${settings ? `  ${settings}` : ""}`);
  }
  return lines.join("\n");
}

const LEVELS = ["mandatory", "advisory"] as const;

/** The policy report: a summary line, then each level's violations by severity, most severe first. */
export function formatPolicyReport(report: PreviewReport): string {
  const { mandatory, advisory } = report.summary;
  const lines = [
    `Policies: ${report.policies.length} evaluated with ${report.policyConfig}; ${mandatory} mandatory and ${advisory} advisory violation${advisory === 1 ? "" : "s"}`,
  ];
  for (const level of LEVELS) {
    const ofLevel = report.violations.filter((v) => v.enforcementLevel === level);
    lines.push("", `${level.toUpperCase()} (${ofLevel.length})${level === "mandatory" && ofLevel.length > 0 ? ": these block the deployment" : ""}`);
    for (const severity of [...SEVERITY_ORDER, undefined]) {
      const group = ofLevel.filter((v) => v.severity === severity);
      if (group.length === 0) continue;
      lines.push(`  ${severity ?? "unrated"} (${group.length})`);
      for (const v of group) {
        lines.push(`    ${v.policy}  ${v.resourceType ? `${v.resourceType} ${v.resourceName}` : "stack"}`);
        lines.push(`      ${v.message.replace(/\n/g, "\n      ")}`);
      }
    }
  }
  return lines.join("\n");
}
