import * as pulumi from "@pulumi/pulumi";

/**
 * Release tags on every taggable resource: `Version`, `Project`, `Environment`, `ManagedBy=pulumi`.
 *
 * One stack transformation adds them to each resource's own `tags` input as the resource is
 * constructed, so they are in every preview diff, in the policy pack's view and in the mock tests.
 * The provider's `defaultTags` would only surface in the computed `tagsAll`, which neither the
 * preview's inputs nor the mocks show. The engine-side `registerResourceTransform` cannot be
 * registered under the mocks of @pulumi/pulumi 3.248 (pulumi/pulumi#17090), so the tests could never
 * see its effect; the in-process transformation runs the same way in `pulumi up` and in the tests.
 * awsx's Vpc builds its children in its own process, out of the transformation's reach: it is tagged
 * through its `tags` input, which awsx copies onto the VPC, subnets, route tables and gateways.
 *
 * Every resource type the program creates must be listed below as taggable or not; an unlisted
 * type fails the program, so a new type is a decision, not an accident.
 */

/** Types whose args accept `tags` (checked against the installed @pulumi/aws .d.ts files by a test). */
export const TAGGABLE_TYPES: readonly string[] = [
  "aws:s3/bucket:Bucket",
  "aws:dynamodb/table:Table",
  "aws:appautoscaling/target:Target",
  "aws:lambda/function:Function",
  "aws:iam/role:Role",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:cloudwatch/eventRule:EventRule",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
  "aws:sfn/stateMachine:StateMachine",
  "aws:sns/topic:Topic",
  "aws:kms/key:Key",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "awsx:ec2:Vpc",
];

/** Types that take no tags: sub-resources of a tagged parent, and this program's components. */
export const UNTAGGABLE_TYPES: readonly string[] = [
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketNotification:BucketNotification",
  "aws:appautoscaling/policy:Policy",
  "aws:lambda/alias:Alias",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:cloudwatch/eventTarget:EventTarget",
  "aws:sfn/alias:Alias",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:kms/alias:Alias",
  "batch-ingest:network:Network",
  "batch-ingest:security:EncryptionKey",
  "batch-ingest:storage:DataBucket",
  "batch-ingest:storage:StateTable",
  "batch-ingest:compute:HandlerFunction",
  "batch-ingest:orchestration:Workflow",
  "batch-ingest:monitoring:Alarms",
];

export interface ReleaseTags {
  readonly Version: string;
  readonly Project: string;
  readonly Environment: string;
  readonly ManagedBy: "pulumi";
}

export function releaseTags(project: string, stack: string, version: string): ReleaseTags {
  return { Version: version, Project: project, Environment: stack, ManagedBy: "pulumi" };
}

/** Merges the release tags over a resource's own tags (the release tags win, so no resource can misreport them). */
export function mergeTags(own: unknown, tags: ReleaseTags): pulumi.Output<Record<string, string>> {
  return pulumi.output(own as pulumi.Input<Record<string, pulumi.Input<string>>> | undefined).apply((resolved): Record<string, string> => ({ ...(resolved ?? {}), ...tags }));
}

/** The transformation: tags on taggable types, nothing on the others, an error for an unlisted type. */
export function tagTransformation(tags: ReleaseTags): pulumi.ResourceTransformation {
  return ({ type, props, opts }) => {
    if (TAGGABLE_TYPES.includes(type)) return { props: { ...props, tags: mergeTags(props["tags"], tags) }, opts };
    if (UNTAGGABLE_TYPES.includes(type)) return undefined;
    throw new Error(`resource type ${type} is in neither TAGGABLE_TYPES nor UNTAGGABLE_TYPES of infra/tags.ts: add it to the list that matches its args`);
  };
}

/** Registers the transformation for every resource created after this call. */
export function registerReleaseTags(tags: ReleaseTags): void {
  pulumi.runtime.registerStackTransformation(tagTransformation(tags));
}
