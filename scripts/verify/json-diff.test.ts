import assert from "node:assert/strict";
import { canonicalJson, contentHash, firstDifference } from "./json-diff";

describe("comparing JSON documents", () => {
  it("ignores key order and whitespace", () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [1, 2], c: null } }), '{"a":{"c":null,"d":[1,2]},"b":1}');
    assert.equal(contentHash(JSON.parse('{ "x": 1, "y": 2 }')), contentHash({ y: 2, x: 1 }));
    assert.equal(firstDifference({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), undefined);
  });

  const cases: { name: string; expected: unknown; actual: unknown; path: string; shows: [string, string] }[] = [
    { name: "a changed value", expected: { States: { Load: { TimeoutSeconds: 930 } } }, actual: { States: { Load: { TimeoutSeconds: 900 } } }, path: "States.Load.TimeoutSeconds", shows: ["930", "900"] },
    { name: "a missing key", expected: { a: 1, b: 2 }, actual: { a: 1 }, path: "b", shows: ["2", "(absent)"] },
    { name: "an added key", expected: { a: 1 }, actual: { a: 1, z: true }, path: "z", shows: ["(absent)", "true"] },
    { name: "an array element", expected: { r: ["x", "y"] }, actual: { r: ["x", "w"] }, path: "r[1]", shows: ['"y"', '"w"'] },
    { name: "a longer array", expected: [1], actual: [1, 2], path: "[1]", shows: ["(absent)", "2"] },
    { name: "a different type", expected: { a: { b: 1 } }, actual: { a: "text" }, path: "a", shows: ['{"b":1}', '"text"'] },
    { name: "different roots", expected: 1, actual: 2, path: "(root)", shows: ["1", "2"] },
  ];
  for (const c of cases) {
    it(`points at ${c.name}`, () => {
      assert.deepEqual(firstDifference(c.expected, c.actual), { path: c.path, expected: c.shows[0], actual: c.shows[1] });
    });
  }
});
