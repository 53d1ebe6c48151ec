import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { basename, extname } from "node:path";

/** What `lambdas/shared/contracts.ts` allows for a jobId. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * A job id that is the same for the same file: the file's name (letters, digits, `_`, `-` only,
 * at most 40 characters) and 16 hex digits of sha256 over the name and the contents. Running the
 * same file again is therefore a re-run of the same job, which the load step makes idempotent.
 */
export async function deriveJobId(path: string): Promise<string> {
  const name = basename(path);
  const hash = createHash("sha256").update(name).update("\n");
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
  }
  const stem = basename(name, extname(name)).replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
  return `${stem || "job"}-${hash.digest("hex").slice(0, 16)}`;
}
