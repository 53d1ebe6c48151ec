import { S3Client } from "@aws-sdk/client-s3";

/**
 * The handlers' one S3 client, created at module scope so a warm Lambda reuses its connections.
 * The endpoint is never set here: the SDK reads `AWS_ENDPOINT_URL_S3`, which only the local
 * runtime sets. s3rver on 127.0.0.1 needs path-style URLs, hence `S3_FORCE_PATH_STYLE`.
 */
export const s3 = new S3Client({ forcePathStyle: process.env.S3_FORCE_PATH_STYLE === "true" });
