import type { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { once } from "node:events";
import { PassThrough } from "node:stream";

/** Lines are gathered into writes of about this size, fewer and larger than one write per row. */
const WRITE_BYTES = 64 * 1024;

/**
 * Streams JSON Lines into one S3 object while they are produced: a PassThrough feeds lib-storage's
 * `Upload`, which sends 5 MiB parts (a single PutObject when the whole object is smaller). `write`
 * waits when the stream is full, so memory stays at a few parts however large the output grows.
 */
export class JsonlWriter {
  private readonly stream = new PassThrough();
  private readonly done: Promise<unknown>;
  private pending = "";
  private failure: unknown;

  constructor(client: S3Client, bucket: string, readonly key: string) {
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: this.stream, ContentType: "application/x-ndjson" },
      queueSize: 2,
    });
    // Failures surface through `done`; this listener only keeps a destroyed stream from throwing.
    this.stream.on("error", () => undefined);
    this.done = upload.done();
    this.done.catch((err: unknown) => {
      this.failure = err ?? new Error(`upload of ${key} failed`);
      // Wakes a write waiting for "drain": events.once rejects when the stream errors.
      this.stream.destroy(err instanceof Error ? err : new Error(String(err)));
    });
  }

  async write(value: unknown): Promise<void> {
    this.pending += `${JSON.stringify(value)}\n`;
    if (this.pending.length >= WRITE_BYTES) await this.flush();
  }

  /** Ends the object and waits until S3 has it. */
  async finish(): Promise<void> {
    await this.flush();
    this.stream.end();
    await this.done;
  }

  /** Stops the upload without creating the object (an unfinished multipart upload is aborted). */
  async abort(reason: Error): Promise<void> {
    this.stream.destroy(reason);
    await this.done.catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const text = this.pending;
    this.pending = "";
    if (text.length === 0 || this.stream.write(text)) return;
    // Backpressure: wait until the upload has taken the data (or has failed).
    await once(this.stream, "drain");
  }
}
