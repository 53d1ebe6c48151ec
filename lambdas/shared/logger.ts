import { Logger } from "@aws-lambda-powertools/logger";

/**
 * One JSON logger per handler module. `POWERTOOLS_SERVICE_NAME` and `POWERTOOLS_LOG_LEVEL` come
 * from the environment (Powertools reads them itself); the service name falls back to the handler's.
 * Handlers add the job id per invocation with `appendKeys` and clear it with `resetKeys`, so a warm
 * container never logs one job's id on the next job's lines.
 */
export function createLogger(handlerName: string): Logger {
  return new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || `batch-ingest-${handlerName}` });
}
