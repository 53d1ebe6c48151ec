import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REASON_CODES } from "./reasons";

describe("reason codes", () => {
  it("are exactly the codes of the table in lambdas/README.md's Rejected rows section", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    const section = readme.split(/^## /m).find((s) => s.startsWith("Rejected rows")) ?? "";
    const documented = [...section.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]);
    assert.deepEqual(documented.sort(), Object.keys(REASON_CODES).sort());
  });

  it("are lower snake case, so they stay stable keys in reports", () => {
    for (const code of Object.keys(REASON_CODES)) assert.match(code, /^[a-z]+(_[a-z0-9]+)*$/);
  });
});
