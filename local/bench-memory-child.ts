import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SPEC_ENV, type MemoryChildSpec } from "./bench-memory";
import { EMULATOR_CREDENTIALS, type Emulators } from "./emulators";
import { runJob } from "./runtime";

/**
 * Child process of `npm run bench`: runs one job against the parent's emulators and prints its own
 * peak RSS. The emulators (and the data they hold) live in the parent, so the number is the memory
 * of the state machine and the handlers alone, which is what must not grow with the file.
 */
/** Clients for emulators another process started, configured like `startEmulators` configures its own. */
function connect(spec: MemoryChildSpec["emulators"]): Emulators {
  const s3 = new S3Client({
    region: spec.region,
    endpoint: spec.s3Endpoint,
    forcePathStyle: true,
    credentials: EMULATOR_CREDENTIALS,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const dynamo = new DynamoDBClient({ region: spec.region, endpoint: spec.dynamoEndpoint, credentials: EMULATOR_CREDENTIALS });
  return {
    ...spec,
    s3,
    dynamo,
    stop: async () => {
      s3.destroy();
      dynamo.destroy();
    },
  };
}

async function main(): Promise<void> {
  const text = process.env[SPEC_ENV];
  if (!text) throw new Error(`${SPEC_ENV} is not set: this file is started by local/bench.ts`);
  const spec = JSON.parse(text) as MemoryChildSpec;
  const emulators = connect(spec.emulators);
  const result = await runJob({ emulators, input: spec.input, env: { POWERTOOLS_LOG_LEVEL: "ERROR" } });
  await emulators.stop();
  // maxRSS is in kilobytes.
  const line = { maxRssBytes: process.resourceUsage().maxRSS * 1024, status: result.status, error: result.error, durationMs: result.durationMs };
  process.stdout.write(`\n${JSON.stringify(line)}\n`, () => process.exit(0));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
