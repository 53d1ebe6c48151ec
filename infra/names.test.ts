import assert from "node:assert/strict";
import { STACKS, type ProgramRun, type RecordedResource, type StackName } from "./testing/harness";
import { stackRuns } from "./testing/stack-runs";

/**
 * The physical names AWS will see, checked against AWS's length and character rules, so a name
 * that `CreateFunction` or `CreateBucket` would refuse fails here instead of halfway through `up`.
 */

interface NameRule {
  /** The input that holds the full name, and the one that holds a prefix, if the type has them. */
  readonly nameProp?: string;
  readonly prefixProp?: string;
  readonly max: number;
  readonly pattern: RegExp;
}

/** Pulumi autonames as `<logical name>-<7 hex>`; the provider completes a `*Prefix` with 26 characters. */
const AUTONAME_SUFFIX = "-0123abc";
const PREFIX_SUFFIX = "x".repeat(26);

/** AWS's documented limits for every named resource type the program creates. */
const RULES: Record<string, NameRule> = {
  "aws:lambda/function:Function": { nameProp: "name", max: 64, pattern: /^[A-Za-z0-9_-]+$/ },
  "aws:lambda/alias:Alias": { nameProp: "name", max: 128, pattern: /^(?!^[0-9]+$)[A-Za-z0-9_-]+$/ },
  "aws:iam/role:Role": { nameProp: "name", prefixProp: "namePrefix", max: 64, pattern: /^[\w+=,.@-]+$/ },
  "aws:iam/rolePolicy:RolePolicy": { nameProp: "name", prefixProp: "namePrefix", max: 128, pattern: /^[\w+=,.@-]+$/ },
  "aws:s3/bucket:Bucket": { nameProp: "bucket", prefixProp: "bucketPrefix", max: 63, pattern: /^[a-z0-9][a-z0-9-]*[a-z0-9]$/ },
  "aws:dynamodb/table:Table": { nameProp: "name", max: 255, pattern: /^[A-Za-z0-9_.-]{3,}$/ },
  "aws:sfn/stateMachine:StateMachine": { nameProp: "name", prefixProp: "namePrefix", max: 80, pattern: /^[A-Za-z0-9_-]+$/ },
  "aws:sfn/alias:Alias": { nameProp: "name", max: 80, pattern: /^[A-Za-z0-9_-]+$/ },
  "aws:cloudwatch/logGroup:LogGroup": { nameProp: "name", prefixProp: "namePrefix", max: 512, pattern: /^[\w/.#-]+$/ },
  "aws:cloudwatch/eventRule:EventRule": { nameProp: "name", prefixProp: "namePrefix", max: 64, pattern: /^[\w.-]+$/ },
  "aws:cloudwatch/metricAlarm:MetricAlarm": { nameProp: "name", max: 255, pattern: /^[\x20-\x7e]+$/ },
  "aws:sns/topic:Topic": { nameProp: "name", prefixProp: "namePrefix", max: 256, pattern: /^[A-Za-z0-9_-]+$/ },
  "aws:kms/alias:Alias": { nameProp: "name", prefixProp: "namePrefix", max: 256, pattern: /^alias\/[A-Za-z0-9/_-]+$/ },
  "aws:ec2/securityGroup:SecurityGroup": { nameProp: "name", prefixProp: "namePrefix", max: 255, pattern: /^[\x20-\x7e]+$/ },
  "aws:appautoscaling/policy:Policy": { nameProp: "name", max: 256, pattern: /^[\x20-\x7e]+$/ },
};

/** Types AWS gives no name of our choosing (sub-resources of a bucket, attachments, keys, targets). */
const UNNAMED_TYPES = new Set([
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketNotification:BucketNotification",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:kms/key:Key",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  "aws:cloudwatch/eventTarget:EventTarget",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:appautoscaling/target:Target",
]);

/** The name AWS receives: the explicit one, the prefix as the provider completes it, or Pulumi's autoname. */
export function physicalName(resource: RecordedResource, rule: NameRule): string {
  const inputs = resource.inputs;
  const explicit = rule.nameProp ? inputs[rule.nameProp] : undefined;
  if (typeof explicit === "string") return explicit;
  const prefix = rule.prefixProp ? inputs[rule.prefixProp] : undefined;
  if (typeof prefix === "string") return prefix + PREFIX_SUFFIX;
  return resource.name + AUTONAME_SUFFIX;
}

/** One message per name AWS would refuse. */
export function nameProblems(resources: readonly RecordedResource[]): string[] {
  const problems: string[] = [];
  for (const resource of resources) {
    const rule = RULES[resource.type];
    if (!rule) continue;
    const name = physicalName(resource, rule);
    if (name.length > rule.max) problems.push(`${resource.type} ${resource.name}: "${name}" is ${name.length} characters; AWS allows ${rule.max}`);
    if (!rule.pattern.test(name)) problems.push(`${resource.type} ${resource.name}: "${name}" breaks ${rule.pattern}`);
  }
  return problems;
}

describe("physical names", () => {
  let runs: Record<StackName, ProgramRun>;
  before(async () => {
    runs = await stackRuns();
  });

  for (const stack of STACKS) {
    it(`stay within AWS's length and character rules in ${stack}`, () => {
      assert.deepEqual(nameProblems(runs[stack].resources), []);
    });
  }

  it("cover every AWS resource type the program creates, named or listed as having no name", () => {
    const types = new Set(STACKS.flatMap((s) => runs[s].resources).map((r) => r.type).filter((t) => t.startsWith("aws:")));
    const unlisted = [...types].filter((t) => !RULES[t] && !UNNAMED_TYPES.has(t));
    assert.deepEqual(unlisted, [], "add each new resource type to RULES (with AWS's naming rule) or to UNNAMED_TYPES");
  });

  it("report a name over AWS's limit and a name with characters AWS refuses", () => {
    const resource = (type: string, name: string, inputs: Record<string, unknown>) => ({ type, name, urn: "", id: "", inputs, state: {} }) as unknown as RecordedResource;
    const problems = nameProblems([
      resource("aws:lambda/function:Function", "x".repeat(60), {}),
      resource("aws:s3/bucket:Bucket", "data-bucket", { bucketPrefix: "Batch_Ingest-" }),
      resource("aws:lambda/alias:Alias", "ok-live", { name: "live" }),
    ]);
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[0], /is 68 characters; AWS allows 64/);
    assert.match(problems[1], /aws:s3\/bucket:Bucket data-bucket: "Batch_Ingest-x+" breaks/);
  });
});
