import assert from "node:assert/strict";
import { positiveIntEnv, requireEnv, stringEnv } from "./env";

describe("environment helpers", () => {
  it("requireEnv returns the value, and names the variable when it is missing or blank", () => {
    assert.equal(requireEnv("TABLE_NAME", { TABLE_NAME: "t" }), "t");
    for (const env of [{}, { TABLE_NAME: "" }, { TABLE_NAME: "  " }]) {
      assert.throws(() => requireEnv("TABLE_NAME", env), /environment variable TABLE_NAME is not set/);
    }
  });

  const ints: Array<[string | undefined, number | RegExp]> = [
    [undefined, 100],
    ["", 100],
    ["2048", 2048],
    ["0", /MAX_FILE_BYTES is "0"; set it to a positive whole number such as 100/],
    ["-5", /is "-5"/],
    ["1.5", /is "1.5"/],
    ["10MB", /is "10MB"/],
    ["99999999999999999999", /is "99999999999999999999"/],
  ];
  for (const [raw, expected] of ints) {
    it(`positiveIntEnv with MAX_FILE_BYTES=${JSON.stringify(raw)} ${typeof expected === "number" ? `is ${expected}` : "fails naming the variable"}`, () => {
      const env = raw === undefined ? {} : { MAX_FILE_BYTES: raw };
      if (typeof expected === "number") assert.equal(positiveIntEnv("MAX_FILE_BYTES", 100, env), expected);
      else assert.throws(() => positiveIntEnv("MAX_FILE_BYTES", 100, env), expected);
    });
  }

  it("stringEnv falls back only when the variable is unset or empty", () => {
    assert.equal(stringEnv("RELEASE_VERSION", "0.0.0-local", {}), "0.0.0-local");
    assert.equal(stringEnv("RELEASE_VERSION", "0.0.0-local", { RELEASE_VERSION: "1.2.3" }), "1.2.3");
  });
});
