import { GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { join } from "node:path";
import type { HandlerName } from "../../infra/shared/bundling";
import { startEmulators, type Emulators } from "../../local/emulators";

const LAMBDAS_DIR = join(__dirname, "..");

/** Emulators plus handler modules loaded against them, for tests that call the real handlers. */
export interface HandlerTestEnv {
  readonly emulators: Emulators;
  readonly bucket: string;
  /** Requires `lambdas/<name>/index.ts` afresh, so its module-scope SDK clients use these emulators. */
  load<T>(name: HandlerName): T;
  put(key: string, body: string | Buffer): Promise<void>;
  /** The object's bytes, or undefined when it does not exist. */
  get(key: string): Promise<Buffer | undefined>;
  stop(): Promise<void>;
}

/**
 * Starts the emulators and points `process.env` at them (restored by `stop`). Handler modules read
 * their endpoints when they are first required, and mocha runs every test file in one process, so
 * `load` drops every cached module under `lambdas/` before requiring: no test file inherits another
 * file's clients.
 */
export async function startHandlerEnv(extraEnv: Record<string, string> = {}): Promise<HandlerTestEnv> {
  const emulators = await startEmulators();
  const env: Record<string, string> = { POWERTOOLS_LOG_LEVEL: "SILENT", ...emulators.env, ...extraEnv };
  const saved = new Map(Object.keys(env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, env);
  const { s3, bucket } = emulators;
  return {
    emulators,
    bucket,
    load<T>(name: HandlerName): T {
      for (const cached of Object.keys(require.cache)) {
        if (cached.startsWith(LAMBDAS_DIR) && !cached.includes("node_modules")) delete require.cache[cached];
      }
      // A dynamic require on purpose: each call must evaluate the module again under the current env.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(join(LAMBDAS_DIR, name, "index.ts")) as T;
    },
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof body === "string" ? Buffer.from(body, "utf8") : body }));
    },
    async get(key) {
      try {
        const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
      } catch (err) {
        if (err instanceof Error && err.name === "NoSuchKey") return undefined;
        throw err;
      }
    },
    async stop() {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await emulators.stop();
    },
  };
}
