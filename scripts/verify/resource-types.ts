import { TAGGABLE_TYPES } from "../../infra/tags";
import { RepositoryError } from "./errors";

/**
 * Which Pulumi resources the Resource Groups Tagging API lists, so that the resources the program
 * declares can be counted against the tagged resources found in AWS.
 *
 * The program decides which types it tags (`TAGGABLE_TYPES` in infra/tags.ts); this says, for each,
 * the `<service>:<type>` the Tagging API reports it as. A taggable type missing from both this map
 * and `NOT_LISTED_TYPES` stops the verifier (and fails this folder's tests) until it is added.
 */
export const TAGGING_API_TYPES: Readonly<Record<string, string>> = {
  "aws:s3/bucket:Bucket": "s3:bucket",
  "aws:s3/bucketV2:BucketV2": "s3:bucket",
  "aws:dynamodb/table:Table": "dynamodb:table",
  "aws:lambda/function:Function": "lambda:function",
  "aws:sfn/stateMachine:StateMachine": "states:stateMachine",
  "aws:sfn/activity:Activity": "states:activity",
  "aws:cloudwatch/logGroup:LogGroup": "logs:log-group",
  "aws:cloudwatch/eventRule:EventRule": "events:rule",
  "aws:cloudwatch/metricAlarm:MetricAlarm": "cloudwatch:alarm",
  "aws:cloudwatch/dashboard:Dashboard": "cloudwatch:dashboard",
  "aws:sns/topic:Topic": "sns:topic",
  "aws:sqs/queue:Queue": "sqs:queue",
  "aws:kms/key:Key": "kms:key",
  "aws:ec2/vpc:Vpc": "ec2:vpc",
  "aws:ec2/subnet:Subnet": "ec2:subnet",
  "aws:ec2/routeTable:RouteTable": "ec2:route-table",
  "aws:ec2/internetGateway:InternetGateway": "ec2:internet-gateway",
  "aws:ec2/natGateway:NatGateway": "ec2:natgateway",
  "aws:ec2/eip:Eip": "ec2:elastic-ip",
  "aws:ec2/securityGroup:SecurityGroup": "ec2:security-group",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "ec2:vpc-endpoint",
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "ec2:security-group-rule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "ec2:security-group-rule",
  "aws:appautoscaling/target:Target": "application-autoscaling:scalable-target",
};

/**
 * Tagged by the program, but never listed: "The GetResources operation does not currently support
 * IAM users and roles" (Resource Groups Tagging API, supported services). The verifier says so
 * instead of reporting them missing.
 */
export const NOT_LISTED_TYPES: ReadonlySet<string> = new Set([
  "aws:iam/role:Role",
  "aws:iam/user:User",
  "aws:iam/policy:Policy",
  "aws:iam/instanceProfile:InstanceProfile",
]);

/** The declared side of one resource, as `infra/testing/harness.ts` records it. */
export interface DeclaredResource {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  readonly options?: { readonly remote?: boolean };
}

/**
 * Multi-language components (awsx) create their children in another process, which mocks never
 * see; these models count the tagged children from the component's inputs, following awsx's
 * defaults (three availability zones, a public and a private subnet in each, a NAT gateway per zone).
 */
export const REMOTE_CHILDREN: Readonly<Record<string, (inputs: Record<string, unknown>) => Record<string, number>>> = {
  "awsx:ec2:Vpc": (inputs) => {
    const azs = typeof inputs.numberOfAvailabilityZones === "number" ? inputs.numberOfAvailabilityZones : 3;
    const specs = Array.isArray(inputs.subnetSpecs) ? inputs.subnetSpecs : [{ type: "Public" }, { type: "Private" }];
    const types = specs.map((s: unknown) => (typeof s === "object" && s !== null && "type" in s ? String(s.type) : ""));
    const nat = typeof inputs.natGateways === "object" && inputs.natGateways !== null && "strategy" in inputs.natGateways ? String(inputs.natGateways.strategy) : "OnePerAz";
    const hasPublic = types.includes("Public");
    const natCount = !types.includes("Private") || !hasPublic || nat === "None" ? 0 : nat === "Single" ? 1 : azs;
    return {
      "ec2:vpc": 1,
      "ec2:subnet": azs * types.length,
      "ec2:route-table": azs * types.length,
      "ec2:internet-gateway": hasPublic ? 1 : 0,
      "ec2:natgateway": natCount,
      "ec2:elastic-ip": natCount,
    };
  },
};

export interface Inventory {
  /** Resource type (`lambda:function`) -> how many the program declares. */
  readonly counts: Readonly<Record<string, number>>;
  /** Declared types the Tagging API never lists (IAM roles), with their counts, for the report. */
  readonly notListed: Readonly<Record<string, number>>;
}

/** Counts the declared resources the program tags by the resource type the Tagging API reports. */
export function expectedInventory(resources: readonly DeclaredResource[], taggable: readonly string[] = TAGGABLE_TYPES): Inventory {
  const counts: Record<string, number> = {};
  const notListed: Record<string, number> = {};
  const add = (into: Record<string, number>, key: string, n = 1): void => {
    if (n > 0) into[key] = (into[key] ?? 0) + n;
  };
  for (const r of resources) {
    if (!taggable.includes(r.type)) continue;
    const remote = REMOTE_CHILDREN[r.type];
    const type = TAGGING_API_TYPES[r.type];
    if (remote) for (const [child, n] of Object.entries(remote(r.inputs))) add(counts, child, n);
    else if (type) add(counts, type);
    else if (NOT_LISTED_TYPES.has(r.type)) add(notListed, r.type);
    else {
      throw new RepositoryError(
        `the program tags ${r.type}, but scripts/verify/resource-types.ts does not say how the Tagging API lists it: ` +
          "add it to TAGGING_API_TYPES (or to NOT_LISTED_TYPES if GetResources never returns it)",
      );
    }
  }
  return { counts, notListed };
}
