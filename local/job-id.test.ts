import { strict as assert } from "node:assert";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deriveJobId, JOB_ID_PATTERN } from "./job-id";

describe("derived job ids", () => {
  const dir = mkdtempSync(join(tmpdir(), "job-id-"));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it("are the same for the same name and contents, so a re-run is the same job", async () => {
    const a = await deriveJobId(file("orders.csv", "a,b\n1,2\n"));
    assert.equal(await deriveJobId(file("orders.csv", "a,b\n1,2\n")), a);
    assert.match(a, /^orders-[0-9a-f]{16}$/);
  });

  it("differ when the contents differ", async () => {
    const one = await deriveJobId(file("x.csv", "1"));
    assert.notEqual(await deriveJobId(file("x.csv", "2")), one);
  });

  const names: Array<[string, RegExp]> = [
    ["my orders (1).csv", /^my-orders-1-[0-9a-f]{16}$/],
    ["ünïcode.jsonl", /^n-code-[0-9a-f]{16}$/],
    ["....csv", /^job-[0-9a-f]{16}$/],
    [`${"long".repeat(30)}.csv`, /^(long){10}-[0-9a-f]{16}$/],
  ];
  for (const [name, expected] of names) {
    it(`keep only allowed characters of ${name.length > 40 ? `a ${name.length}-character name` : JSON.stringify(name)}`, async () => {
      const id = await deriveJobId(file(name, "x"));
      assert.match(id, expected);
      assert.match(id, JOB_ID_PATTERN);
    });
  }
});
