import assert from "node:assert/strict";
import { renderJson, renderTable, type VerifyReport } from "./report";

const report = (ok: boolean): VerifyReport => ({
  project: "batch-ingest",
  stack: "qa",
  region: "eu-west-1",
  account: "210987654321",
  version: "0.3.0",
  ok,
  checks: [
    { check: "Version tag on all 12 resources", expected: "0.3.0", deployed: "0.3.0", ok: true },
    { check: "code of load (live -> v4)", expected: "nhNVwvYjto+y4rofAXoifc0Oi4/zOPnGP/YzqAVnsUU=", deployed: ok ? "nhNVwvYjto+y4rofAXoifc0Oi4/zOPnGP/YzqAVnsUU=" : "q0Xz2bUq4nS8f3xO9ZkC1m7r1vQd2wP5hJ6tL8yA0cE=", ok },
  ],
  notes: ["5 aws:iam/role:Role not counted: the Tagging API does not list this type (the program still tags it)"],
});

describe("the verifier's report", () => {
  it("prints a table of check, expected, deployed and OK or MISMATCH, in aligned columns", () => {
    const lines = renderTable(report(false)).split("\n");
    assert.equal(lines[0], "batch-ingest stack qa in eu-west-1 (account 210987654321) against the repository at version 0.3.0");
    const header = lines[2] ?? "";
    assert.match(header, /^CHECK +EXPECTED +DEPLOYED +RESULT$/);
    const column = (name: string): number => header.indexOf(name);
    const mismatch = lines.find((l) => l.startsWith("code of load")) ?? "";
    assert.equal(mismatch.indexOf("nhNVwv"), column("EXPECTED"));
    assert.equal(mismatch.indexOf("q0Xz2b"), column("DEPLOYED"));
    assert.equal(mismatch.indexOf("MISMATCH"), column("RESULT"));
    assert.ok(lines.some((l) => /^Version tag on all 12 resources +0\.3\.0 +0\.3\.0 +OK$/.test(l)));
    assert.ok(lines.includes("note: 5 aws:iam/role:Role not counted: the Tagging API does not list this type (the program still tags it)"));
    assert.equal(lines.at(-1), "MISMATCH: 1 of 2 checks differ; what is deployed is not what this checkout holds");
  });

  it("ends with OK when every check matches", () => {
    assert.equal(renderTable(report(true)).split("\n").at(-1), "OK: all 2 checks match");
  });

  it("prints the same report as JSON with --json", () => {
    assert.deepEqual(JSON.parse(renderJson(report(false))), report(false));
  });
});
