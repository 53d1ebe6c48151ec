import * as pulumi from "@pulumi/pulumi";
import type { LogLevel } from "./config";
import type { HandlerName } from "./shared/bundling";

/** The Powertools service name every handler logs under. */
export const SERVICE_NAME = "batch-ingest";

export interface EnvironmentInputs {
  readonly logLevel: LogLevel;
  readonly tableName: pulumi.Input<string>;
  readonly maxFileBytes: number;
  readonly releaseVersion: string;
}

/**
 * Each handler's environment: the Powertools settings for all, and only the names a handler reads
 * (`lambdas/shared/env.ts` fails with the variable's name when one is missing).
 */
export function handlerEnvironment(handler: HandlerName, inputs: EnvironmentInputs): Record<string, pulumi.Input<string>> {
  const common = { POWERTOOLS_SERVICE_NAME: SERVICE_NAME, POWERTOOLS_LOG_LEVEL: inputs.logLevel };
  switch (handler) {
    case "validate":
      return { ...common, MAX_FILE_BYTES: String(inputs.maxFileBytes) };
    case "transform":
      return common;
    case "load":
      return { ...common, TABLE_NAME: inputs.tableName };
    case "report":
      return { ...common, RELEASE_VERSION: inputs.releaseVersion };
  }
}
