import type { CheckRow } from "./checks";

/** Everything `npm run verify` found, for the table and for `--json`. */
export interface VerifyReport {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  readonly account: string;
  readonly version: string;
  readonly ok: boolean;
  readonly checks: readonly CheckRow[];
  /** What was not checked and why (IAM roles, stale tag-index entries). */
  readonly notes: readonly string[];
}

/** Columns wider than this let their cell overflow instead of widening every line. */
const MAX_WIDTH = 46;

export function renderTable(report: VerifyReport): string {
  const header = { check: "CHECK", expected: "EXPECTED", deployed: "DEPLOYED", result: "RESULT" };
  const lines = report.checks.map((c) => ({ check: c.check, expected: c.expected, deployed: c.deployed, result: c.ok ? "OK" : "MISMATCH" }));
  const width = (key: "check" | "expected" | "deployed"): number => Math.min(MAX_WIDTH, Math.max(...[header, ...lines].map((l) => l[key].length)));
  const [w1, w2, w3] = [width("check"), width("expected"), width("deployed")];
  const line = (l: typeof header): string => `${l.check.padEnd(w1)}  ${l.expected.padEnd(w2)}  ${l.deployed.padEnd(w3)}  ${l.result}`;
  const mismatches = report.checks.filter((c) => !c.ok).length;
  return [
    `${report.project} stack ${report.stack} in ${report.region} (account ${report.account}) against the repository at version ${report.version}`,
    "",
    line(header),
    ...lines.map(line),
    "",
    ...report.notes.map((n) => `note: ${n}`),
    ...(report.notes.length > 0 ? [""] : []),
    mismatches === 0
      ? `OK: all ${report.checks.length} checks match`
      : `MISMATCH: ${mismatches} of ${report.checks.length} checks differ; what is deployed is not what this checkout holds`,
  ].join("\n");
}

export function renderJson(report: VerifyReport): string {
  return JSON.stringify(report, null, 2);
}
