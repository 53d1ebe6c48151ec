import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * The handlers' one DynamoDB document client, at module scope so a warm Lambda reuses it. The SDK
 * reads `AWS_ENDPOINT_URL_DYNAMODB` (set only by the local runtime); nothing is hard-coded here.
 * Kept apart from the S3 client so only the load bundle carries the DynamoDB SDK.
 */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}));
