/**
 * Encryption at rest: the data bucket, the state table, the alarm topic, the state machine and the
 * log groups. Which key each uses varies by stack (AES256 in dev, a customer managed KMS key in
 * prod), so the strictness is a config setting rather than a fork of the policy.
 */
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { eachBucket } from "./lib/buckets";
import { settingsOf } from "./lib/settings";
import { checkov, fsbp } from "./lib/citations";
import { asArray, asRecord, asString, show } from "./lib/props";
import { TYPES } from "./lib/resource-types";

const KMS_ALGORITHMS = ["aws:kms", "aws:kms:dsse"];

/** The default-encryption algorithms a bucket declares, inline or through SSE configuration resources. */
function bucketAlgorithms(inline: unknown, standalone: readonly unknown[]): { algorithms: (string | undefined)[]; declared: boolean } {
  const rules: unknown[] = [];
  const inlineRule = asRecord(asRecord(inline)?.rule);
  if (inlineRule) rules.push(inlineRule);
  for (const rulesProp of standalone) rules.push(...asArray(rulesProp));
  const algorithms = rules.map((rule) => asString(asRecord(asRecord(rule)?.applyServerSideEncryptionByDefault)?.sseAlgorithm));
  return { algorithms, declared: rules.length > 0 };
}

export const s3BucketEncryption: StackValidationPolicy = {
  name: "s3-bucket-server-side-encryption",
  description: "Checks whether every S3 bucket declares default server-side encryption, with SSE-KMS where the stack requires it.",
  enforcementLevel: "mandatory",
  severity: "high",
  ...fsbp("S3.17", "S3 general purpose buckets should be encrypted at rest with AWS KMS keys"),
  configSchema: {
    properties: {
      requireKms: { type: "boolean", default: false, description: "Require aws:kms (or aws:kms:dsse) rather than AES256; set in prod." },
    },
  },
  validateStack: (args, reportViolation) => {
    const { requireKms } = settingsOf<{ requireKms: boolean }>(s3BucketEncryption, args);
    eachBucket(args, reportViolation, ({ bucket, companions, report }) => {
      // A value unknown until deployment throws here, and the engine reports "can't run during preview".
      const inline: unknown = bucket.props.serverSideEncryptionConfiguration;
      const standalone = companions(TYPES.bucketSse).map((sse): unknown => sse.props.rules);
      const { algorithms, declared } = bucketAlgorithms(inline, standalone);
      if (!declared) {
        report(`bucket "${bucket.name}" declares no default encryption: add a BucketServerSideEncryptionConfiguration with sseAlgorithm ${requireKms ? "aws:kms and a kmsMasterKeyId" : "aws:kms or AES256"}`);
        return;
      }
      for (const algorithm of algorithms) {
        if (algorithm === undefined) {
          report(`bucket "${bucket.name}" has an encryption rule without sseAlgorithm: set applyServerSideEncryptionByDefault.sseAlgorithm`);
        } else if (requireKms && !KMS_ALGORITHMS.includes(algorithm)) {
          report(`bucket "${bucket.name}" encrypts with ${algorithm}; this stack requires SSE-KMS: set sseAlgorithm "aws:kms" and kmsMasterKeyId`);
        }
      }
    });
  },
};

export const dynamodbTableEncryption: ResourceValidationPolicy = {
  name: "dynamodb-table-kms-encryption",
  description: "Checks whether every DynamoDB table is encrypted with a KMS key, customer managed where the stack requires it.",
  enforcementLevel: "mandatory",
  severity: "high",
  ...checkov("CKV_AWS_119", "Ensure DynamoDB Tables are encrypted using a KMS Customer Managed CMK"),
  configSchema: {
    properties: {
      requireCustomerManagedKey: { type: "boolean", default: false, description: "Require serverSideEncryption.kmsKeyArn (a customer managed key)." },
    },
  },
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    const { requireCustomerManagedKey } = settingsOf<{ requireCustomerManagedKey: boolean }>(dynamodbTableEncryption, args);
    const sse = asRecord(table.serverSideEncryption);
    if (sse?.enabled !== true) {
      reportViolation(`table "${args.name}" is not KMS-encrypted (serverSideEncryption.enabled is ${show(sse?.enabled)}): set serverSideEncryption: { enabled: true, kmsKeyArn }`);
    } else if (requireCustomerManagedKey && !asString(sse.kmsKeyArn)) {
      reportViolation(`table "${args.name}" uses the AWS managed key; this stack requires a customer managed key: set serverSideEncryption.kmsKeyArn`);
    }
  }),
};

export const snsTopicEncryption: ResourceValidationPolicy = {
  name: "sns-topic-kms-encryption",
  description: "Checks whether every SNS topic is encrypted with a KMS key.",
  enforcementLevel: "mandatory",
  severity: "medium",
  ...checkov("CKV_AWS_26", "Ensure all data stored in the SNS topic is encrypted"),
  validateResource: validateResourceOfType(aws.sns.Topic, (topic, args, reportViolation) => {
    if (!asString(topic.kmsMasterKeyId)) {
      reportViolation(`topic "${args.name}" is not encrypted: set kmsMasterKeyId to a KMS key ARN or alias (alarm text names resources and errors)`);
    }
  }),
};

export const stateMachineEncryption: ResourceValidationPolicy = {
  name: "sfn-state-machine-encryption",
  description: "Checks whether every state machine declares its encryption configuration, with a customer managed key where the stack requires it.",
  enforcementLevel: "mandatory",
  severity: "medium",
  // No FSBP, cdk-nag or Checkov control covers Step Functions encryption; this mirrors the table's
  // rule, since execution history carries the same job data the table stores.
  ...checkov("CKV_AWS_119", "Nearest control (no Step Functions one exists): Ensure DynamoDB Tables are encrypted using a KMS Customer Managed CMK"),
  configSchema: {
    properties: {
      requireCustomerManagedKey: { type: "boolean", default: false, description: "Require type CUSTOMER_MANAGED_KMS_KEY with a kmsKeyId." },
    },
  },
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, reportViolation) => {
    const { requireCustomerManagedKey } = settingsOf<{ requireCustomerManagedKey: boolean }>(stateMachineEncryption, args);
    const encryption = asRecord(machine.encryptionConfiguration);
    const type = asString(encryption?.type);
    if (!encryption || !type) {
      reportViolation(`state machine "${args.name}" declares no encryptionConfiguration: set { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId } or { type: "AWS_OWNED_KEY" }`);
      return;
    }
    if (type === "CUSTOMER_MANAGED_KMS_KEY" && !asString(encryption.kmsKeyId)) {
      reportViolation(`state machine "${args.name}" uses CUSTOMER_MANAGED_KMS_KEY without kmsKeyId: set encryptionConfiguration.kmsKeyId`);
    } else if (requireCustomerManagedKey && type !== "CUSTOMER_MANAGED_KMS_KEY") {
      reportViolation(`state machine "${args.name}" uses ${type}; this stack requires CUSTOMER_MANAGED_KMS_KEY with a kmsKeyId`);
    }
  }),
};

export const logGroupEncryption: ResourceValidationPolicy = {
  name: "cloudwatch-log-group-kms",
  description: "Checks whether every CloudWatch log group is encrypted with a KMS key.",
  // Advisory: log groups are already encrypted by CloudWatch; a KMS key adds key control and audit.
  enforcementLevel: "advisory",
  severity: "low",
  ...checkov("CKV_AWS_158", "Ensure that CloudWatch Log Group is encrypted by KMS"),
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, reportViolation) => {
    if (!asString(group.kmsKeyId)) {
      reportViolation(`log group "${args.name}" has no kmsKeyId: set one to a KMS key whose policy allows logs.<region>.amazonaws.com`);
    }
  }),
};

export const encryptionPolicies = [s3BucketEncryption, dynamodbTableEncryption, snsTopicEncryption, stateMachineEncryption, logGroupEncryption];
