import type { Logger } from "@aws-lambda-powertools/logger";
import type { Context } from "aws-lambda";
import type { z } from "zod";
import { parseEvent } from "./events";
import { translateSdkError } from "./sdk-errors";

export interface HandlerSpec<E extends { readonly jobId: string }, R> {
  /** The handler's name, as in `lambdas/<name>`; it prefixes event errors. */
  readonly name: string;
  readonly schema: z.ZodType<E>;
  readonly logger: Logger;
  /** The handler's logic, called with the parsed event. */
  readonly run: (event: E) => Promise<R>;
}

/**
 * The thin shell every handler exports: parse the event, tag the logs with the job id, run the
 * logic, log the outcome. SDK errors that escaped the logic (a body stream that dropped, say) are
 * translated here as a last resort, so a retryable failure always reaches Step Functions as
 * `TransientDependencyError`.
 */
export function createHandler<E extends { readonly jobId: string }, R>(spec: HandlerSpec<E, R>): (event: unknown, context?: Context) => Promise<R> {
  const { name, schema, logger, run } = spec;
  return async (event, context) => {
    // Temporary keys outlive an invocation in a warm container; clear the previous job's.
    logger.resetKeys();
    if (context) logger.addContext(context);
    const rawJobId = typeof event === "object" && event !== null ? (event as Record<string, unknown>).jobId : undefined;
    if (typeof rawJobId === "string") logger.appendKeys({ jobId: rawJobId });
    try {
      const parsed = parseEvent(name, schema, event);
      logger.info(`${name} started`, { event: parsed });
      const result = await run(parsed);
      logger.info(`${name} finished`, { result });
      return result;
    } catch (thrown) {
      const error = translateSdkError(thrown, { operation: name });
      if (error instanceof Error) logger.error(`${name} failed`, error);
      else logger.error(`${name} failed`, { error: String(error) });
      throw error;
    }
  };
}
