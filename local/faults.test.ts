import { strict as assert } from "node:assert";
import { FaultPlan, validateFaults, type Fault } from "./faults";

const STATES = ["Validate", "ArchiveInput"];

describe("fault injection", () => {
  const bad: Array<[string, Fault, RegExp]> = [
    ["a state that is not a Task of the definition", { state: "Nope", error: "X" }, /faults\[0\]\.state is "Nope".*use one of: Validate, ArchiveInput/],
    ["an empty error name", { state: "Validate", error: " " }, /faults\[0\]\.error is empty/],
    ["zero times", { state: "Validate", error: "X", times: 0 }, /faults\[0\]\.times is 0; use a whole number >= 1, or Infinity/],
    ["fractional times", { state: "Validate", error: "X", times: 1.5 }, /times is 1\.5/],
    ["an unknown moment", { state: "Validate", error: "X", when: "during" as "before" }, /when is "during"; use "before" or "after"/],
  ];
  for (const [what, fault, message] of bad) {
    it(`rejects ${what}, naming the field and the fix`, () => {
      assert.throws(() => validateFaults([fault], STATES), message);
    });
  }

  it("accepts persistent faults and both moments", () => {
    assert.doesNotThrow(() => validateFaults([{ state: "Validate", error: "X", times: Infinity, when: "after" }], STATES));
  });

  it("fails exactly `times` attempts of the named state, then lets it run", () => {
    const plan = new FaultPlan([{ state: "ArchiveInput", error: "S3.SlowDownException", times: 2 }]);
    const seen = [plan.next("Validate"), plan.next("ArchiveInput"), plan.next("ArchiveInput"), plan.next("ArchiveInput")];
    assert.deepEqual(
      seen.map((f) => f?.error),
      [undefined, "S3.SlowDownException", "S3.SlowDownException", undefined],
    );
    assert.match(seen[2]?.cause ?? "", /S3\.SlowDownException injected by the local runtime into ArchiveInput, attempt 2/);
  });

  it("fails every attempt of a persistent fault", () => {
    const plan = new FaultPlan([{ state: "Validate", error: "E", times: Infinity, when: "after", cause: "always" }]);
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(plan.next("Validate"), { error: "E", cause: "always", when: "after" });
    }
  });
});
