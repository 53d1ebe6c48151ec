import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { HANDLER_NAMES, type HandlerName } from "./shared/bundling";
import { checkKeys, ConfigError, show, type KeySpec, type Leaf } from "./config-check";
import { handlerTasks } from "./definition";
import { readDefinitionTemplate } from "../step-functions/ingest/definition";

/**
 * The one schema of a stack's config: `aws:region` plus the `batch-ingest:*` keys. `loadConfig`
 * checks every key before any resource exists, and each error names the stack, the key, the bad
 * value and what is allowed, e.g. `Stack "prod": batch-ingest:logRetentionDays is 4; allowed: 1, 3, 5, ...`.
 */

export const NAMESPACE = "batch-ingest";
export { ConfigError } from "./config-check";

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy); "never expire" is not offered. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Lambda's limits: memory 128-10240 MB, timeout up to 900 s. */
const LAMBDA_MAX_TIMEOUT = 900;

export type KmsKeyChoice = "aws-managed" | "customer-managed";
export type CapacityMode = "on-demand" | "provisioned";
export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";
export type WorkflowLogLevel = "ALL" | "ERROR" | "FATAL";
export type NetworkMode = "none" | "vpc";

export interface ProvisionedCapacity {
  readonly readMin: number;
  readonly readMax: number;
  readonly writeMin: number;
  readonly writeMax: number;
  readonly targetUtilizationPercent: number;
}

export interface AlarmThresholds {
  readonly functionErrors: number;
  readonly functionThrottles: number;
  readonly executionsFailed: number;
  readonly executionsTimedOut: number;
  readonly executionThrottled: number;
}

export interface LifecycleDays {
  readonly processed: number;
  readonly rejected: number;
  readonly noncurrentVersions: number;
  readonly incompleteUploads: number;
}

/** A stack's validated config. The secret alarm email is only known to be set here; read it with `alarmEmail()`. */
export interface StackConfig {
  readonly stack: string;
  readonly region: string;
  readonly bucketNamePrefix: string;
  readonly kmsKey: KmsKeyChoice;
  readonly capacityMode: CapacityMode;
  readonly provisionedCapacity: ProvisionedCapacity | undefined;
  readonly logLevel: LogLevel;
  readonly logRetentionDays: number;
  readonly workflowLogLevel: WorkflowLogLevel;
  readonly workflowIncludeExecutionData: boolean;
  readonly memoryMb: number;
  readonly timeoutSeconds: Readonly<Record<HandlerName, number>>;
  readonly reservedConcurrency: "unreserved" | number;
  readonly maxFileBytes: number;
  readonly alarmThresholds: AlarmThresholds;
  readonly alarmEmailConfigured: boolean;
  readonly deletionProtection: boolean;
  readonly lifecycleDays: LifecycleDays;
  readonly network: NetworkMode;
  readonly vpcAzCount: number;
}

// Pulumi hands every config value to the program as a string (objects as JSON); these read them back.
const asNumber = (v: unknown): unknown => (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v);
const asBoolean = (v: unknown): unknown => (v === "true" ? true : v === "false" ? false : v);
const int = (min: number, max: number) => z.preprocess(asNumber, z.number().int().min(min).max(max));
const bool = z.preprocess(asBoolean, z.boolean());

const intLeaf = (min: number, max: number, unit = ""): Leaf => ({ schema: int(min, max), allowed: `a whole number${unit} from ${min} to ${max}` });
const enumLeaf = <T extends readonly [string, ...string[]]>(values: T): Leaf => ({ schema: z.enum(values), allowed: values.join(", ") });
const retention: Leaf = {
  schema: z.preprocess(asNumber, z.number().refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n))),
  allowed: LOG_RETENTION_DAYS.join(", "),
};

/** S3 naming rules for the part we choose; the provider appends a 26-character unique suffix. */
const BUCKET_PREFIX_ALLOWED =
  "3-36 characters of lowercase letters, digits and hyphens, starting and ending with a letter or digit, not starting with xn--, sthree- or amzn-s3-demo- (S3 bucket naming rules; dots are refused because they break TLS on virtual-hosted URLs)";

export const CONFIG_KEYS: Readonly<Record<string, KeySpec>> = {
  bucketNamePrefix: {
    schema: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{1,34}[a-z0-9]$/)
      .refine((s) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(s)),
    allowed: BUCKET_PREFIX_ALLOWED,
    description: "Start of the data bucket's name; S3 appends a unique suffix.",
    required: true,
    type: "string",
  },
  kmsKey: { ...enumLeaf(["aws-managed", "customer-managed"]), description: "Which keys encrypt the bucket, table, state machine and log groups: AWS managed keys (SSE-S3, aws/dynamodb, AWS owned) or the stack's customer managed KMS key.", required: true, type: "enum" },
  capacityMode: { ...enumLeaf(["on-demand", "provisioned"]), description: "The state table's capacity: on-demand, or provisioned with Application Auto Scaling.", required: true, type: "enum" },
  provisionedCapacity: {
    schema: z.unknown(),
    allowed: "an object { readMin, readMax, writeMin, writeMax, targetUtilizationPercent }, only with capacityMode provisioned",
    fields: {
      readMin: intLeaf(1, 40000),
      readMax: intLeaf(1, 40000),
      writeMin: intLeaf(1, 40000),
      writeMax: intLeaf(1, 40000),
      targetUtilizationPercent: intLeaf(20, 90),
    },
    description: "Auto-scaling bounds and target utilisation of the provisioned table.",
    required: false,
    type: "object",
  },
  logLevel: { ...enumLeaf(["DEBUG", "INFO", "WARN", "ERROR"]), description: "The handlers' log level (POWERTOOLS_LOG_LEVEL).", required: true, type: "enum" },
  logRetentionDays: { ...retention, description: "Retention of every log group (functions and state machine).", required: true, type: "integer (days)" },
  workflowLogLevel: {
    ...enumLeaf(["ALL", "ERROR", "FATAL"]),
    allowed: "ALL, ERROR, FATAL (OFF is refused: the state machine always logs, FSBP StepFunctions.1)",
    description: "Which execution events the state machine logs.",
    required: true,
    type: "enum",
  },
  workflowIncludeExecutionData: { schema: bool, allowed: "true, false", description: "Whether state machine logs include inputs and outputs (the records themselves).", required: true, type: "boolean" },
  memoryMb: { ...intLeaf(128, 10240, " of MB"), description: "Memory of every function (CPU scales with it).", required: true, type: "integer (MB)" },
  timeoutSeconds: {
    schema: z.unknown(),
    allowed: `an object with a whole number of seconds for each of ${HANDLER_NAMES.join(", ")}`,
    fields: Object.fromEntries(HANDLER_NAMES.map((h) => [h, intLeaf(1, LAMBDA_MAX_TIMEOUT, " of seconds")])),
    description: "Each function's timeout; each must stay below its Task's TimeoutSeconds in the definition.",
    required: true,
    type: "object (seconds)",
  },
  reservedConcurrency: {
    schema: z.union([z.literal("unreserved"), int(1, 1000)]),
    allowed: 'unreserved, or a whole number from 1 to 1000 (0 would disable the functions)',
    description: "Reserved concurrency of each function; reserving needs 100 unreserved executions left in the account.",
    required: true,
    type: "\"unreserved\" or integer",
  },
  maxFileBytes: { ...intLeaf(1, 5 * 1024 ** 3), description: "Largest input file validate accepts (MAX_FILE_BYTES).", required: true, type: "integer (bytes)" },
  alarmThresholds: {
    schema: z.unknown(),
    allowed: "an object { functionErrors, functionThrottles, executionsFailed, executionsTimedOut, executionThrottled }",
    fields: {
      functionErrors: intLeaf(1, 10000),
      functionThrottles: intLeaf(1, 10000),
      executionsFailed: intLeaf(1, 10000),
      executionsTimedOut: intLeaf(1, 10000),
      executionThrottled: intLeaf(1, 10000),
    },
    description: "How many events in 5 minutes raise each alarm.",
    required: true,
    type: "object (counts)",
  },
  alarmEmail: {
    schema: z.email(),
    allowed: "an email address such as oncall@example.com, set with `pulumi config set --secret`",
    description: "Who the alarm topic emails (a secret: `pulumi config set --secret`); unset, the topic has no subscription.",
    required: false,
    type: "secret string",
    secret: true,
  },
  deletionProtection: { schema: bool, allowed: "true, false", description: "Deletion protection on the table, and Pulumi `protect` on the bucket, table and key.", required: true, type: "boolean" },
  lifecycleDays: {
    schema: z.unknown(),
    allowed: "an object { processed, rejected, noncurrentVersions, incompleteUploads } of whole days",
    fields: {
      processed: intLeaf(1, 3650, " of days"),
      rejected: intLeaf(1, 3650, " of days"),
      noncurrentVersions: intLeaf(1, 3650, " of days"),
      incompleteUploads: intLeaf(1, 365, " of days"),
    },
    description: "When processed/ and rejected/ objects, old versions and unfinished uploads expire.",
    required: true,
    type: "object (days)",
  },
  network: { ...enumLeaf(["none", "vpc"]), description: "Whether the functions run in the stack's own VPC (isolated subnets, S3 and DynamoDB gateway endpoints).", required: true, type: "enum" },
  vpcAzCount: { ...intLeaf(2, 6), description: "How many availability zones the VPC spans (network vpc only); default 3.", required: false, type: "integer" },
};

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/**
 * Checks a stack's raw config (full keys, string values, as `pulumi.runtime.allConfig()` returns it)
 * and returns it typed. Throws one `ConfigError` listing every problem.
 */
export function loadConfig(stack: string, raw: Readonly<Record<string, string>>, template: string = readDefinitionTemplate()): StackConfig {
  const problems: string[] = [];
  const where = `Stack "${stack}":`;

  const region = raw["aws:region"];
  if (region === undefined || !REGION.test(region)) {
    problems.push(`${where} aws:region is ${region === undefined ? "missing" : show(region, false)}; allowed: an AWS region such as eu-west-1 (set it with \`pulumi config set aws:region <region> -s ${stack}\`)`);
  }

  const { values, problems: keyProblems } = checkKeys(stack, NAMESPACE, raw, CONFIG_KEYS);
  problems.push(...keyProblems);

  crossChecks(stack, values, template, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    stack,
    region: region as string,
    bucketNamePrefix: values["bucketNamePrefix"] as string,
    kmsKey: values["kmsKey"] as KmsKeyChoice,
    capacityMode: values["capacityMode"] as CapacityMode,
    provisionedCapacity: values["provisionedCapacity"] as ProvisionedCapacity | undefined,
    logLevel: values["logLevel"] as LogLevel,
    logRetentionDays: values["logRetentionDays"] as number,
    workflowLogLevel: values["workflowLogLevel"] as WorkflowLogLevel,
    workflowIncludeExecutionData: values["workflowIncludeExecutionData"] as boolean,
    memoryMb: values["memoryMb"] as number,
    timeoutSeconds: values["timeoutSeconds"] as Record<HandlerName, number>,
    reservedConcurrency: values["reservedConcurrency"] as "unreserved" | number,
    maxFileBytes: values["maxFileBytes"] as number,
    alarmThresholds: values["alarmThresholds"] as AlarmThresholds,
    alarmEmailConfigured: values["alarmEmail"] !== undefined,
    deletionProtection: values["deletionProtection"] as boolean,
    lifecycleDays: values["lifecycleDays"] as LifecycleDays,
    network: values["network"] as NetworkMode,
    vpcAzCount: (values["vpcAzCount"] as number | undefined) ?? 3,
  };
}

/** Rules that span keys, or config and the definition. */
function crossChecks(stack: string, values: Record<string, unknown>, template: string, problems: string[]): void {
  const where = `Stack "${stack}":`;
  const capacity = values["provisionedCapacity"] as ProvisionedCapacity | undefined;
  if (values["capacityMode"] === "provisioned" && capacity === undefined) {
    problems.push(`${where} ${NAMESPACE}:provisionedCapacity is missing; allowed: ${CONFIG_KEYS["provisionedCapacity"].allowed} (capacityMode is provisioned)`);
  }
  if (values["capacityMode"] === "on-demand" && capacity !== undefined) {
    problems.push(`${where} ${NAMESPACE}:provisionedCapacity is set but capacityMode is on-demand; allowed: no provisionedCapacity with on-demand (remove it, or set capacityMode provisioned)`);
  }
  if (capacity) {
    for (const [min, max] of [["readMin", "readMax"], ["writeMin", "writeMax"]] as const) {
      if (capacity[min] !== undefined && capacity[max] !== undefined && capacity[min] > capacity[max]) {
        problems.push(`${where} ${NAMESPACE}:provisionedCapacity.${min} is ${capacity[min]}; allowed: at most ${max} (${capacity[max]})`);
      }
    }
  }
  const timeouts = values["timeoutSeconds"] as Partial<Record<HandlerName, number>> | undefined;
  if (timeouts) {
    const tasks = handlerTasks(template);
    for (const handler of HANDLER_NAMES) {
      const timeout = timeouts[handler];
      const task = tasks[handler];
      if (timeout !== undefined && timeout >= task.timeoutSeconds) {
        problems.push(
          `${where} ${NAMESPACE}:timeoutSeconds.${handler} is ${timeout}; allowed: below ${task.timeoutSeconds}, the TimeoutSeconds of the ${task.state} Task that invokes it (so Lambda times out first and the Task's retry sees it)`,
        );
      }
    }
  }
  if (values["vpcAzCount"] !== undefined && values["network"] === "none") {
    problems.push(`${where} ${NAMESPACE}:vpcAzCount is set but network is none; allowed: vpcAzCount only with network vpc (remove it, or set network vpc)`);
  }
}

/** Reads and checks the running stack's config; fails before any resource is registered. */
export function readStackConfig(): StackConfig {
  const raw = pulumi.runtime.allConfig();
  return loadConfig(pulumi.getStack(), raw);
}

/** The alarm email as a secret Output, when the stack sets one. */
export function alarmEmail(config: StackConfig): pulumi.Output<string> | undefined {
  return config.alarmEmailConfigured ? new pulumi.Config(NAMESPACE).requireSecret("alarmEmail") : undefined;
}
