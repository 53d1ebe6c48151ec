import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KEY_POLICY_RESOURCE, policyDocument, type AwsContext, type Statement } from "../iam";

export interface EncryptionKeyArgs {
  /** Where the stack deploys; the key policy names the account and the regional log service. */
  readonly ctx: AwsContext;
  /**
   * What the key encrypts. "alarms": only the alarm topic (CloudWatch cannot publish to a topic
   * under the AWS managed aws/sns key). "all": also the bucket, table, state machine and log groups.
   */
  readonly scope: "alarms" | "all";
  /** Pulumi `protect`: refuse to delete the key, since deleting it makes its data unreadable. @default false */
  readonly protect?: boolean;
}

/**
 * Every action an administrator may take on the key, named one by one: the console's default key
 * policy grants `kms:*` to the account, which this program's no-wildcard rule refuses.
 */
export const KEY_ADMIN_ACTIONS: readonly string[] = [
  "kms:CancelKeyDeletion", "kms:CreateAlias", "kms:CreateGrant", "kms:Decrypt", "kms:DeleteAlias", "kms:DescribeKey",
  "kms:DisableKey", "kms:DisableKeyRotation", "kms:EnableKey", "kms:EnableKeyRotation", "kms:Encrypt",
  "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus",
  "kms:ListGrants", "kms:ListKeyPolicies", "kms:ListKeyRotations", "kms:ListResourceTags", "kms:PutKeyPolicy",
  "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:RetireGrant", "kms:RevokeGrant", "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion", "kms:TagResource", "kms:UntagResource", "kms:UpdateAlias", "kms:UpdateKeyDescription",
];

/** The stack's customer managed KMS key, with rotation, and a key policy naming each service that uses it. */
export class EncryptionKey extends pulumi.ComponentResource {
  readonly keyArn: pulumi.Output<string>;
  readonly keyId: pulumi.Output<string>;

  constructor(name: string, args: EncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("batch-ingest:security:EncryptionKey", name, {}, opts);
    const key = this.createKey(name, args);
    this.createAlias(name, key);
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId });
  }

  private createKey(name: string, args: EncryptionKeyArgs): aws.kms.Key {
    return new aws.kms.Key(
      `${name}-key`,
      {
        description: `batch-ingest ${pulumi.getStack()}: ${args.scope === "all" ? "data, logs, workflow history and alarms" : "alarm notifications"}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: policyDocument(keyPolicy(args), "key"),
      },
      { parent: this, protect: args.protect ?? false },
    );
  }

  private createAlias(name: string, key: aws.kms.Key): aws.kms.Alias {
    return new aws.kms.Alias(`${name}-alias`, { namePrefix: `alias/batch-ingest-${pulumi.getStack()}-`, targetKeyId: key.keyId }, { parent: this });
  }
}

/** The key policy: the account administers it through IAM; services get only the calls they make. */
export function keyPolicy(args: Pick<EncryptionKeyArgs, "ctx" | "scope">): Statement[] {
  const { ctx } = args;
  const statements: Statement[] = [
    {
      Sid: "AccountAdministersThroughIam",
      Effect: "Allow",
      Principal: { AWS: pulumi.interpolate`arn:${ctx.partition}:iam::${ctx.accountId}:root` },
      Action: KEY_ADMIN_ACTIONS,
      Resource: [KEY_POLICY_RESOURCE],
    },
    {
      // CloudWatch alarms publish to the encrypted topic as the cloudwatch service (SNS developer guide,
      // "Enable compatibility between event sources from AWS services and encrypted topics").
      Sid: "CloudWatchAlarmsPublishToTopic",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: [KEY_POLICY_RESOURCE],
    },
  ];
  if (args.scope === "all") {
    statements.push(
      {
        // CloudWatch Logs encrypts this account's log groups with the key (CloudWatch Logs guide, "Encrypt log data").
        Sid: "CloudWatchLogsEncryptLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
        Resource: [KEY_POLICY_RESOURCE],
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*` } },
      },
      {
        // Step Functions logging of a state machine encrypted with this key (Step Functions guide,
        // "Data at rest encryption", step 3).
        Sid: "LogDeliveryReadsWorkflowHistory",
        Effect: "Allow",
        Principal: { Service: "delivery.logs.amazonaws.com" },
        Action: ["kms:Decrypt"],
        Resource: [KEY_POLICY_RESOURCE],
      },
    );
  }
  return statements;
}
