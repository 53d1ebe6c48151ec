import * as DynamoDB from "@aws-sdk/client-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import * as S3 from "@aws-sdk/client-s3";
import type { S3Client } from "@aws-sdk/client-s3";
import { serviceError, type ServiceName } from "./aws-errors";

/** Runs one Task attempt: takes the state's effective input, returns its raw result. */
export type TaskRunner = (input: unknown) => Promise<unknown>;

/** The optimized DynamoDB integrations the runtime plays, `arn:aws:states:::dynamodb:<action>`. */
const DYNAMODB_COMMANDS = {
  putItem: DynamoDB.PutItemCommand,
  updateItem: DynamoDB.UpdateItemCommand,
  getItem: DynamoDB.GetItemCommand,
  deleteItem: DynamoDB.DeleteItemCommand,
} as const;

export const DYNAMODB_ACTIONS = Object.keys(DYNAMODB_COMMANDS);

type CommandCtor = new (input: never) => object;
type Send = (command: object) => Promise<unknown>;

function isAction<T extends object>(table: T, action: string): action is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, action);
}

/** `copyObject` -> the `CopyObjectCommand` class of the S3 client, or undefined when there is none. */
export function s3CommandFor(action: string): CommandCtor | undefined {
  if (!/^[a-z][A-Za-z0-9]*$/.test(action)) {
    return undefined;
  }
  const exported = (S3 as unknown as Record<string, unknown>)[`${action[0].toUpperCase()}${action.slice(1)}Command`];
  return typeof exported === "function" ? (exported as CommandCtor) : undefined;
}

/** Converts an SDK response into the JSON a state receives: no `$metadata`, dates as ISO strings, bodies as text. */
export async function toStateJson(value: unknown): Promise<unknown> {
  if (value === null || value === undefined) {
    return null;
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString("utf8");
  }
  if (typeof value === "object" && typeof (value as { transformToString?: unknown }).transformToString === "function") {
    return (value as { transformToString: () => Promise<string> }).transformToString();
  }
  if (Array.isArray(value)) {
    return Promise.all(value.map((v) => toStateJson(v)));
  }
  if (typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key !== "$metadata" && v !== undefined) {
        out[key] = await toStateJson(v);
      }
    }
    return out;
  }
  if (typeof value === "bigint") {
    return Number(value);
  }
  return value;
}

function runner(service: ServiceName, send: Send, Command: CommandCtor): TaskRunner {
  return async (input: unknown) => {
    if (input === null || typeof input !== "object" || Array.isArray(input)) {
      throw new Error(`the ${service} integration needs an object of API parameters, got ${JSON.stringify(input)}`);
    }
    let response: unknown;
    try {
      response = await send(new Command(input as never));
    } catch (error) {
      throw serviceError(service, error);
    }
    return toStateJson(response);
  };
}

/** `arn:aws:states:::dynamodb:<action>` against the given client, errors named `DynamoDB.<Exception>`. */
export function dynamoIntegration(action: string, client: DynamoDBClient): TaskRunner | undefined {
  if (!isAction(DYNAMODB_COMMANDS, action)) {
    return undefined;
  }
  return runner("DynamoDB", (command) => client.send(command as DynamoDB.PutItemCommand), DYNAMODB_COMMANDS[action] as CommandCtor);
}

/** `arn:aws:states:::aws-sdk:s3:<action>` against the given client, errors named `S3.<Code>Exception`. */
export function s3Integration(action: string, client: S3Client): TaskRunner | undefined {
  const Command = s3CommandFor(action);
  if (!Command) {
    return undefined;
  }
  return runner("S3", (command) => client.send(command as S3.CopyObjectCommand), Command);
}
