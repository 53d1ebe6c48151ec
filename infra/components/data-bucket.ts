import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PREFIXES } from "../access";
import type { LifecycleDays } from "../config";
import { policyDocument } from "../iam";

export interface DataBucketArgs {
  /** Start of the bucket's name; S3 appends a unique suffix (`bucketPrefix`). */
  readonly namePrefix: string;
  /** Default encryption: SSE-S3 (AES256), or SSE-KMS with this customer managed key and an S3 Bucket Key. */
  readonly encryption: { readonly kind: "aes256" } | { readonly kind: "kms"; readonly keyArn: pulumi.Input<string> };
  /** When processed/ and rejected/ objects, noncurrent versions and incomplete uploads expire. */
  readonly lifecycleDays: LifecycleDays;
  /** Pulumi `protect` on the bucket, so `pulumi destroy` cannot delete the data. @default false */
  readonly protect?: boolean;
}

/**
 * The data bucket: incoming/ files, processed/ and rejected/ outputs, reports/ and archive/.
 * Encrypted, versioned, private, ACLs disabled, TLS only, expiring what it no longer needs, and
 * sending its events to EventBridge, which starts the workflow.
 */
export class DataBucket extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: DataBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("batch-ingest:storage:DataBucket", name, {}, opts);
    const bucket = this.createBucket(name, args);
    const versioning = this.createVersioning(name, bucket);
    this.createEncryption(name, bucket, args);
    const publicAccess = this.createPublicAccessBlock(name, bucket);
    this.createOwnershipControls(name, bucket);
    this.createTlsOnlyPolicy(name, bucket, publicAccess);
    this.createLifecycle(name, bucket, versioning, args.lifecycleDays);
    this.createEventBridgeNotifications(name, bucket);
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }

  private createBucket(name: string, args: DataBucketArgs): aws.s3.Bucket {
    // No forceDestroy: a data bucket is never emptied by a destroy.
    return new aws.s3.Bucket(`${name}-bucket`, { bucketPrefix: `${args.namePrefix}-` }, { parent: this, protect: args.protect ?? false });
  }

  private createVersioning(name: string, bucket: aws.s3.Bucket): aws.s3.BucketVersioning {
    return new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
  }

  private createEncryption(name: string, bucket: aws.s3.Bucket, args: DataBucketArgs): aws.s3.BucketServerSideEncryptionConfiguration {
    const rule =
      args.encryption.kind === "kms"
        ? // The Bucket Key cuts KMS requests (and cost) by orders of magnitude for many small objects.
          { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.encryption.keyArn }, bucketKeyEnabled: true }
        : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
    return new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, { bucket: bucket.id, rules: [rule] }, { parent: this });
  }

  private createPublicAccessBlock(name: string, bucket: aws.s3.Bucket): aws.s3.BucketPublicAccessBlock {
    // FSBP S3.8: all four blocks on.
    return new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
  }

  private createOwnershipControls(name: string, bucket: aws.s3.Bucket): aws.s3.BucketOwnershipControls {
    // FSBP S3.12: ACLs disabled; access is IAM and the bucket policy only.
    return new aws.s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
  }

  private createTlsOnlyPolicy(name: string, bucket: aws.s3.Bucket, publicAccess: aws.s3.BucketPublicAccessBlock): aws.s3.BucketPolicy {
    // FSBP S3.5: deny every request that is not over TLS. Applied after the public-access block, as
    // S3 rejects concurrent changes to the two.
    return new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      {
        bucket: bucket.id,
        policy: policyDocument(
          [
            {
              Sid: "DenyRequestsWithoutTls",
              Effect: "Deny",
              Principal: "*",
              Action: ["s3:*"],
              Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
          "resource",
        ),
      },
      { parent: this, dependsOn: [publicAccess] },
    );
  }

  private createLifecycle(name: string, bucket: aws.s3.Bucket, versioning: aws.s3.BucketVersioning, days: LifecycleDays): aws.s3.BucketLifecycleConfiguration {
    const expire = (prefix: string, after: number) => ({ id: `expire-${prefix.replace(/\/$/, "")}`, status: "Enabled", filter: { prefix }, expiration: { days: after } });
    return new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: days.noncurrentVersions },
            expiration: { expiredObjectDeleteMarker: true },
          },
          { id: "abort-incomplete-uploads", status: "Enabled", filter: { prefix: "" }, abortIncompleteMultipartUpload: { daysAfterInitiation: days.incompleteUploads } },
          expire(PREFIXES.processed, days.processed),
          expire(PREFIXES.rejected, days.rejected),
        ],
      },
      // Lifecycle rules on noncurrent versions need versioning in place first.
      { parent: this, dependsOn: [versioning] },
    );
  }

  private createEventBridgeNotifications(name: string, bucket: aws.s3.Bucket): aws.s3.BucketNotification {
    return new aws.s3.BucketNotification(`${name}-events`, { bucket: bucket.id, eventbridge: true }, { parent: this });
  }
}
