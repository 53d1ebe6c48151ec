/**
 * An S3 bucket in @pulumi/aws v7 is configured by separate resources (SSE, public-access block,
 * policy, versioning...) that name it by its `bucket` input. These helpers find, for each bucket of
 * a stack, the companion resources of a type, and read the deprecated inline forms too so a bucket
 * configured the older way is judged on what it has.
 */
import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { TYPES } from "./resource-types";
import { byIdentifier, referencing } from "./stack-graph";

/** A companion names its bucket by the bucket's name (its id); under mocks the id is recorded as `id`. */
const namesBucket = byIdentifier("bucket", "id");

/** The companion resources of `type` that configure `bucket`. */
export function companionsOf(resources: readonly PolicyResource[], bucket: PolicyResource, type: string): PolicyResource[] {
  return referencing(resources, type, "bucket", bucket, namesBucket);
}

export interface BucketContext {
  readonly bucket: PolicyResource;
  /** The companions of a type, e.g. `companions(TYPES.bucketPublicAccessBlock)`. */
  companions(type: string): PolicyResource[];
  /** Reports against the bucket's URN. */
  report(message: string): void;
}

/** Calls `check` once per bucket in the stack; not applicable when the stack has no bucket. */
export function eachBucket(args: StackValidationArgs, reportViolation: ReportViolation, check: (ctx: BucketContext) => void): void {
  const buckets = args.resources.filter((r) => r.type === TYPES.bucket);
  if (buckets.length === 0) args.notApplicable("the stack has no S3 bucket");
  for (const bucket of buckets) {
    check({
      bucket,
      companions: (type) => companionsOf(args.resources, bucket, type),
      report: (message) => reportViolation(message, bucket.urn),
    });
  }
}
