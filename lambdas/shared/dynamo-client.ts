import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/**
 * The handlers' one DynamoDB client, at module scope so a warm Lambda reuses it. The SDK reads
 * `AWS_ENDPOINT_URL_DYNAMODB` (set only by the local runtime); nothing is hard-coded here. Kept
 * apart from the S3 client so only the load bundle carries the DynamoDB SDK. It is the plain
 * client, not the document client: load builds its all-string items directly, and the generic
 * marshaller showed up among the top costs when profiling a 100,000-row load.
 */
export const dynamo = new DynamoDBClient({});
