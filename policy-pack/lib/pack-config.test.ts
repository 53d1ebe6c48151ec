import assert from "node:assert/strict";
import type { Policies } from "@pulumi/policy";
import { PackConfigError, parsePackConfig, reconcilePackConfig } from "./pack-config";
import { validatePolicyConfig } from "./config-schema";

/** Two stand-in policies: one without settings, one with a schema and defaults. */
const pack: Policies = [
  { name: "plain", description: "Checks whether a.", enforcementLevel: "mandatory", validateResource: () => undefined },
  {
    name: "tunable",
    description: "Checks whether b.",
    validateStack: () => undefined,
    configSchema: {
      properties: {
        limit: { type: "integer", minimum: 1, maximum: 10, default: 5 },
        names: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, uniqueItems: true, default: ["x"] },
        mode: { type: "string", enum: ["fast", "slow"] },
      },
    },
  },
];

const resolve = (json: unknown, packLevel: "advisory" | "mandatory" = "advisory") => reconcilePackConfig(pack, parsePackConfig(JSON.stringify(json), "test.json"), packLevel, "test.json");

describe("policy pack config, reconciled as the Pulumi CLI does", () => {
  const cases: Array<{ when: string; config: unknown; expect: Record<string, { level: string; properties: Record<string, unknown> }> }> = [
    {
      when: "the file is empty: each policy's own level, else the pack's, and the schema defaults",
      config: {},
      expect: { plain: { level: "mandatory", properties: {} }, tunable: { level: "advisory", properties: { limit: 5, names: ["x"] } } },
    },
    {
      when: "\"all\" sets every level",
      config: { all: "disabled" },
      expect: { plain: { level: "disabled", properties: {} }, tunable: { level: "disabled", properties: { limit: 5, names: ["x"] } } },
    },
    {
      when: "a policy's own entry wins over \"all\", and merges its settings over the defaults",
      config: { all: "advisory", tunable: { enforcementLevel: "mandatory", limit: 9 } },
      expect: { plain: { level: "advisory", properties: {} }, tunable: { level: "mandatory", properties: { limit: 9, names: ["x"] } } },
    },
    {
      when: "an entry is just a level",
      config: { tunable: "remediate" },
      expect: { plain: { level: "mandatory", properties: {} }, tunable: { level: "remediate", properties: { limit: 5, names: ["x"] } } },
    },
  ];
  for (const c of cases) {
    it(`resolves levels and settings when ${c.when}`, () => {
      const resolved = resolve(c.config);
      for (const [name, e] of Object.entries(c.expect)) {
        assert.equal(resolved.get(name)!.enforcementLevel, e.level, name);
        assert.deepEqual(resolved.get(name)!.properties, e.properties, name);
      }
    });
  }

  const failures: Array<{ when: string; text: string; expect: RegExp }> = [
    { when: "the file is not JSON", text: "{", expect: /test.json is not valid JSON/ },
    { when: "the file is a list", text: "[]", expect: /test.json is not a JSON object/ },
    { when: "a level is misspelt", text: JSON.stringify({ all: "mandatroy" }), expect: /"all": "mandatroy" is not an enforcement level; use one of "advisory", "mandatory", "remediate", "disabled"/ },
    { when: "an entry is a number", text: JSON.stringify({ plain: 3 }), expect: /"plain": 3 must be an enforcement level string or an object/ },
    { when: "a policy name is unknown", text: JSON.stringify({ "tunabel": "advisory" }), expect: /"tunabel" is not a policy of this pack; known: plain, tunable/ },
    { when: "a setting is out of range", text: JSON.stringify({ tunable: { limit: 11 } }), expect: /"tunable": limit is 11; the maximum is 10/ },
    { when: "a setting has the wrong type", text: JSON.stringify({ tunable: { limit: "5" } }), expect: /"tunable": limit must be integer, got "5"/ },
    { when: "a setting is not in the enum", text: JSON.stringify({ tunable: { mode: "medium" } }), expect: /"tunable": mode is "medium"; allowed: "fast", "slow"/ },
    { when: "a list item is empty", text: JSON.stringify({ tunable: { names: ["a", ""] } }), expect: /names\[1\] is ""; use at least 1 characters/ },
    { when: "a list repeats a value", text: JSON.stringify({ tunable: { names: ["a", "a"] } }), expect: /names lists a value twice/ },
    { when: "a setting does not exist", text: JSON.stringify({ tunable: { limt: 3 } }), expect: /limt is not a setting of this policy; known: limit, names, mode/ },
    { when: "a policy without settings gets one", text: JSON.stringify({ plain: { limit: 3 } }), expect: /"plain" has no settings; remove limit/ },
    { when: "\"all\" carries settings", text: JSON.stringify({ all: { enforcementLevel: "advisory", limit: 3 } }), expect: /"all" may only set enforcementLevel/ },
  ];
  for (const f of failures) {
    it(`fails, naming the entry and the fix, when ${f.when}`, () => {
      assert.throws(
        () => reconcilePackConfig(pack, parsePackConfig(f.text, "test.json"), "advisory", "test.json"),
        (err: unknown) => err instanceof PackConfigError && f.expect.test(err.message),
      );
    });
  }

  it("lists every problem of a file at once", () => {
    assert.throws(
      () => resolve({ tunable: { limit: 0, mode: "x" }, nope: "advisory" }),
      (err: unknown) => err instanceof PackConfigError && err.problems.length === 3,
    );
  });

  it("checks required settings", () => {
    assert.deepEqual(validatePolicyConfig({ properties: { a: { type: "string" } }, required: ["a"] }, {}), ["a is required"]);
  });
});
