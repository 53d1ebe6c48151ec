/**
 * S3 buckets: public access, transport, ACLs, versioning, lifecycle and notifications. Each is a
 * stack policy because in @pulumi/aws v7 these settings live on companion resources of the bucket;
 * the deprecated inline forms on the bucket itself count too.
 */
import type { StackValidationPolicy } from "@pulumi/policy";
import { eachBucket } from "./lib/buckets";
import { checkov, fsbp } from "./lib/citations";
import { parsePolicyDocument, type Statement } from "./lib/iam-documents";
import { asArray, asRecord, asString, show } from "./lib/props";
import { TYPES } from "./lib/resource-types";
import { knownStrings } from "./lib/stack-graph";

const PUBLIC_ACCESS_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

export const s3PublicAccessBlock: StackValidationPolicy = {
  name: "s3-bucket-public-access-block",
  description: "Checks whether every S3 bucket has a public-access block with all four settings on.",
  enforcementLevel: "mandatory",
  severity: "critical",
  ...fsbp("S3.8", "S3 general purpose buckets should block public access"),
  validateStack: (args, reportViolation) => {
    eachBucket(args, reportViolation, ({ bucket, companions, report }) => {
      const blocks = companions(TYPES.bucketPublicAccessBlock);
      if (blocks.length === 0) {
        report(`bucket "${bucket.name}" has no BucketPublicAccessBlock: add one with ${PUBLIC_ACCESS_FLAGS.map((f) => `${f}: true`).join(", ")}`);
        return;
      }
      for (const block of blocks) {
        const off = PUBLIC_ACCESS_FLAGS.filter((flag) => block.props[flag] !== true);
        if (off.length > 0) report(`bucket "${bucket.name}": public-access block "${block.name}" leaves ${off.join(", ")} off: set all four to true`);
      }
    });
  },
};

function isPublicPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  const aws = asRecord(principal)?.AWS;
  return aws === "*" || (Array.isArray(aws) && aws.includes("*"));
}

/** FSBP S3.5: a Deny for every principal and every S3 action when `aws:SecureTransport` is false. */
function deniesInsecureTransport(statement: Statement, bucketArns: readonly string[]): boolean {
  if (statement.effect !== "Deny" || !isPublicPrincipal(statement.principal)) return false;
  if (!statement.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*")) return false;
  const secure = asRecord(statement.condition?.Bool)?.["aws:SecureTransport"];
  if (secure !== false && secure !== "false") return false;
  // The statement must cover the bucket and its objects; when the name is unknown, any such pair counts.
  const covers = (arn: string) => statement.resources.some((r) => r === "*" || r === arn);
  if (bucketArns.length === 0) return statement.resources.some((r) => r.endsWith("/*")) && statement.resources.some((r) => !r.endsWith("/*"));
  return bucketArns.every(covers);
}

export const s3TlsOnly: StackValidationPolicy = {
  name: "s3-bucket-tls-only",
  description: "Checks whether every S3 bucket's policy denies requests that are not over TLS.",
  enforcementLevel: "mandatory",
  severity: "high",
  ...fsbp("S3.5", "S3 general purpose buckets should require requests to use SSL"),
  validateStack: (args, reportViolation) => {
    eachBucket(args, reportViolation, ({ bucket, companions, report }) => {
      const name = knownStrings(bucket, ["bucket", "id"])[0];
      const bucketArns = name ? [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`] : [];
      const documents: unknown[] = companions(TYPES.bucketPolicy).map((p): unknown => p.props.policy);
      const inline: unknown = bucket.props.policy;
      if (inline !== undefined) documents.push(inline);
      const parsed = documents.map(parsePolicyDocument);
      for (const problem of parsed.flatMap((p) => p.errors)) report(`bucket "${bucket.name}": its policy ${problem}`);
      if (!parsed.some((p) => p.statements.some((s) => deniesInsecureTransport(s, bucketArns)))) {
        report(
          `bucket "${bucket.name}" does not deny requests without TLS: add a bucket policy statement with Effect "Deny", Principal "*", Action "s3:*", ` +
            `Resource [${bucketArns.length ? bucketArns.map((a) => `"${a}"`).join(", ") : "the bucket ARN and <bucket ARN>/*"}] and Condition {"Bool": {"aws:SecureTransport": "false"}}`,
        );
      }
    });
  },
};

export const s3AclsDisabled: StackValidationPolicy = {
  name: "s3-bucket-acls-disabled",
  description: "Checks whether every S3 bucket disables ACLs with object ownership BucketOwnerEnforced and grants nothing through ACLs.",
  enforcementLevel: "mandatory",
  severity: "medium",
  ...fsbp("S3.12", "ACLs should not be used to manage user access to S3 general purpose buckets"),
  validateStack: (args, reportViolation) => {
    eachBucket(args, reportViolation, ({ bucket, companions, report }) => {
      const owners = companions(TYPES.bucketOwnershipControls).map((c) => asString(asRecord(c.props.rule)?.objectOwnership));
      if (!owners.includes("BucketOwnerEnforced")) {
        report(`bucket "${bucket.name}" has object ownership ${owners.length ? owners.map((o) => show(o)).join(", ") : "not set"}: add BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced"`);
      }
      for (const acl of companions(TYPES.bucketAcl)) report(`bucket "${bucket.name}" is managed by BucketAcl "${acl.name}": remove it; grant access with IAM and the bucket policy`);
      const inlineAcl: unknown = bucket.props.acl;
      if ((inlineAcl !== undefined && inlineAcl !== "private") || asArray(bucket.props.grants).length > 0) {
        report(`bucket "${bucket.name}" sets acl/grants inline: remove them; grant access with IAM and the bucket policy`);
      }
    });
  },
};

export const s3Versioning: StackValidationPolicy = {
  name: "s3-bucket-versioning",
  description: "Checks whether every S3 bucket has versioning enabled.",
  enforcementLevel: "mandatory",
  severity: "medium",
  ...checkov("CKV_AWS_21", "Ensure all data stored in the S3 bucket have versioning enabled"),
  validateStack: (args, reportViolation) => {
    eachBucket(args, reportViolation, ({ bucket, companions, report }) => {
      const statuses = companions(TYPES.bucketVersioning).map((v) => asString(asRecord(v.props.versioningConfiguration)?.status));
      const inline = asRecord(bucket.props.versioning)?.enabled === true;
      if (!inline && !statuses.includes("Enabled")) {
        report(`bucket "${bucket.name}" has versioning ${statuses.length ? statuses.map((s) => show(s)).join(", ") : "not configured"}: add BucketVersioning with versioningConfiguration.status "Enabled"`);
      }
    });
  },
};

export const s3LifecycleRules: StackValidationPolicy = {
  name: "s3-bucket-lifecycle-rules",
  description: "Checks whether every S3 bucket has a lifecycle configuration with at least one enabled rule.",
  enforcementLevel: "mandatory",
  severity: "low",
  ...fsbp("S3.13", "S3 general purpose buckets should have Lifecycle configurations"),
  validateStack: (args, reportViolation) => {
    eachBucket(args, reportViolation, ({ bucket, companions, report }) => {
      const rules = companions(TYPES.bucketLifecycle).flatMap((l) => asArray(l.props.rules));
      const enabled = rules.filter((r) => asRecord(r)?.status === "Enabled").length;
      const inline = asArray(bucket.props.lifecycleRules).filter((r) => asRecord(r)?.enabled === true).length;
      if (enabled + inline === 0) {
        report(`bucket "${bucket.name}" has ${rules.length ? "no enabled lifecycle rule" : "no lifecycle configuration"}: add BucketLifecycleConfiguration rules with status "Enabled" (expire old data, abort incomplete uploads)`);
      }
    });
  },
};

export const s3EventNotifications: StackValidationPolicy = {
  name: "s3-bucket-event-notifications",
  description: "Checks whether every S3 bucket sends event notifications (EventBridge, Lambda, SQS or SNS).",
  enforcementLevel: "mandatory",
  severity: "low",
  ...fsbp("S3.11", "S3 general purpose buckets should have event notifications enabled"),
  validateStack: (args, reportViolation) => {
    eachBucket(args, reportViolation, ({ bucket, companions, report }) => {
      const sends = companions(TYPES.bucketNotification).some(
        (n) => n.props.eventbridge === true || ["lambdaFunctions", "queues", "topics"].some((k) => asArray(n.props[k]).length > 0),
      );
      if (!sends) report(`bucket "${bucket.name}" sends no event notifications: add a BucketNotification with eventbridge: true`);
    });
  },
};

export const s3Policies = [s3PublicAccessBlock, s3TlsOnly, s3AclsDisabled, s3Versioning, s3LifecycleRules, s3EventNotifications];
