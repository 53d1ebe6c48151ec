import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ProvisionedCapacity } from "../config";
import { TABLE_KEY_SCHEMA, TTL_ATTRIBUTE } from "../shared/table";

export interface StateTableArgs {
  /** On-demand, or provisioned capacity that Application Auto Scaling keeps between the bounds. */
  readonly capacity: { readonly mode: "on-demand" } | ({ readonly mode: "provisioned" } & ProvisionedCapacity);
  /** The customer managed key that encrypts the table; undefined uses the AWS managed key aws/dynamodb. */
  readonly kmsKeyArn: pulumi.Input<string> | undefined;
  /** DynamoDB deletion protection, and Pulumi `protect`. @default false */
  readonly deletionProtection?: boolean;
}

type Dimension = "Read" | "Write";

/**
 * The job and order records: `PK`/`SK` string keys (the layout the handlers and the local runtime
 * use), point-in-time recovery, KMS encryption, TTL on `expiresAt`.
 */
export class StateTable extends pulumi.ComponentResource {
  readonly tableName: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;

  constructor(name: string, args: StateTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("batch-ingest:storage:StateTable", name, {}, opts);
    const table = this.createTable(name, args);
    if (args.capacity.mode === "provisioned") {
      this.createAutoScaling(name, table, "Read", args.capacity.readMin, args.capacity.readMax, args.capacity.targetUtilizationPercent);
      this.createAutoScaling(name, table, "Write", args.capacity.writeMin, args.capacity.writeMax, args.capacity.targetUtilizationPercent);
    }
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }

  private createTable(name: string, args: StateTableArgs): aws.dynamodb.Table {
    const provisioned = args.capacity.mode === "provisioned" ? args.capacity : undefined;
    return new aws.dynamodb.Table(
      `${name}-table`,
      {
        attributes: [
          { name: TABLE_KEY_SCHEMA.partitionKey, type: "S" },
          { name: TABLE_KEY_SCHEMA.sortKey, type: "S" },
        ],
        hashKey: TABLE_KEY_SCHEMA.partitionKey,
        rangeKey: TABLE_KEY_SCHEMA.sortKey,
        billingMode: provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
        readCapacity: provisioned?.readMin,
        writeCapacity: provisioned?.writeMin,
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: args.kmsKeyArn === undefined ? { enabled: true } : { enabled: true, kmsKeyArn: args.kmsKeyArn },
        ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
        deletionProtectionEnabled: args.deletionProtection ?? false,
      },
      {
        parent: this,
        protect: args.deletionProtection ?? false,
        // Auto Scaling moves the capacity; the program only sets where it starts.
        ignoreChanges: provisioned ? ["readCapacity", "writeCapacity"] : [],
      },
    );
  }

  private createAutoScaling(name: string, table: aws.dynamodb.Table, dimension: Dimension, min: number, max: number, targetPercent: number): aws.appautoscaling.Policy {
    const lower = dimension.toLowerCase();
    const target = new aws.appautoscaling.Target(
      `${name}-${lower}-target`,
      {
        serviceNamespace: "dynamodb",
        resourceId: pulumi.interpolate`table/${table.name}`,
        scalableDimension: `dynamodb:table:${dimension}CapacityUnits`,
        minCapacity: min,
        maxCapacity: max,
      },
      { parent: this },
    );
    return new aws.appautoscaling.Policy(
      `${name}-${lower}-scaling`,
      {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        resourceId: target.resourceId,
        scalableDimension: target.scalableDimension,
        targetTrackingScalingPolicyConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: `DynamoDB${dimension}CapacityUtilization` },
          targetValue: targetPercent,
        },
      },
      { parent: this },
    );
  }
}
