/**
 * The engine's own unknown-value machinery, with types. @pulumi/policy exports `unknownCheckingProxy`
 * and `UnknownValueError` at runtime, but its declaration file for them is empty, so they would
 * arrive typed `any`. The offline runner and the tests use exactly these, so a policy sees unknown
 * values the way it does under `pulumi preview`.
 */
import * as policyIndex from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";

interface PolicyProxyExports {
  /** Wraps props so that reading an unknown value throws `UnknownValueError`. */
  unknownCheckingProxy<T extends object>(props: T): T;
  UnknownValueError: new (sentinel: string, path: string[]) => Error;
}

interface ProxySentinels {
  unknownStringValue: string;
  unknownNumberValue: string;
  unknownBooleanValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
}

const runtime = policyIndex as unknown as PolicyProxyExports;
const sentinels = proxyModule as unknown as ProxySentinels;

export const unknownCheckingProxy = runtime.unknownCheckingProxy;
export const UnknownValueError = runtime.UnknownValueError;

/**
 * The placeholders the engine sends for values that are unknown during a preview, by kind. Tests use
 * them to build the props of a first-time preview.
 */
export const UNKNOWN = {
  string: sentinels.unknownStringValue,
  number: sentinels.unknownNumberValue,
  boolean: sentinels.unknownBooleanValue,
  array: sentinels.unknownArrayValue,
  object: sentinels.unknownObjectValue,
} as const;

export function isUnknownValueError(err: unknown): err is Error {
  return err instanceof UnknownValueError;
}
