import { strict as assert } from "node:assert";
import "./polyfills";

describe("Promise.withResolvers polyfill", () => {
  const withResolvers = (Promise as unknown as { withResolvers: <T>() => { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } }).withResolvers;

  it("is installed, so aws-local-stepfunctions runs on Node 20", () => {
    assert.equal(typeof withResolvers, "function");
  });

  it("returns a promise settled by the returned resolve and reject", async () => {
    const ok = withResolvers.call(Promise) as ReturnType<typeof withResolvers<number>>;
    ok.resolve(42);
    assert.equal(await ok.promise, 42);
    const bad = withResolvers.call(Promise) as ReturnType<typeof withResolvers<number>>;
    bad.reject(new Error("no"));
    await assert.rejects(bad.promise, /no/);
  });
});
