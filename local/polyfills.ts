/**
 * `Promise.withResolvers` arrived in Node 22; aws-local-stepfunctions calls it for every Task state.
 * The local runtime supports Node 20 too (package.json engines), so this module installs a spec-shaped
 * polyfill. Import it before aws-local-stepfunctions; `local/state-machine.ts` does.
 */
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

type WithResolvers = <T>() => Resolvers<T>;

const promiseCtor = Promise as unknown as { withResolvers?: WithResolvers };

if (typeof promiseCtor.withResolvers !== "function") {
  const withResolvers: WithResolvers = <T>() => {
    let resolve!: Resolvers<T>["resolve"];
    let reject!: Resolvers<T>["reject"];
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  Object.defineProperty(Promise, "withResolvers", { value: withResolvers, writable: true, configurable: true });
}

export {};
