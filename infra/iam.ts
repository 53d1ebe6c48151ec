import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * IAM for the whole program: policy documents as plain JSON (`pulumi.jsonStringify`, so the recorded
 * inputs and the preview show the exact document), statements with named actions only, and
 * resources that are ARNs or ARN prefixes. The only star Resource (`"*"`) allowed is for the actions
 * below, which AWS documents as supporting no narrower resource.
 */

/**
 * Actions AWS documents as needing `Resource: "*"`. The tests and the policy pack read this list;
 * any other action on `"*"` fails both.
 */
export const STAR_RESOURCE_ACTIONS: readonly string[] = [
  // X-Ray has no resource-level permissions (Lambda Active tracing, Step Functions tracing;
  // the AWSXRayDaemonWriteAccess managed policy grants these on "*").
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  // CloudWatch Logs vended-log delivery, which Step Functions logging uses; the Step Functions guide
  // ("Using CloudWatch Logs to log execution history") documents these on "*".
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
  // Lambda in a VPC: the network-interface calls Lambda makes with the function's role
  // (AWSLambdaVPCAccessExecutionRole grants these on "*"; the Describe calls support no resource).
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeSubnets",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
];

/**
 * In a KMS key policy, `Resource` must be `"*"`, which there means "this key" (KMS developer guide,
 * "Key policies"). Key policies are the one place it appears outside STAR_RESOURCE_ACTIONS.
 */
export const KEY_POLICY_RESOURCE = "*";

export type Principal = "*" | { readonly Service?: string | readonly string[]; readonly AWS?: pulumi.Input<string> | readonly pulumi.Input<string>[] };
export type Condition = Readonly<Record<string, Readonly<Record<string, pulumi.Input<string> | readonly pulumi.Input<string>[] | boolean>>>>;

export interface Statement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: readonly string[];
  readonly Resource: readonly pulumi.Input<string>[];
  readonly Principal?: Principal;
  readonly Condition?: Condition;
}

export type DocumentKind = "identity" | "resource" | "key";

/**
 * Checks the statements that can be checked before deployment, then renders the document.
 * Allow statements name every action (no `*`); a star Resource only for STAR_RESOURCE_ACTIONS,
 * or in key policies, where it is the only valid value. A Deny may be broad (`s3:*` for FSBP S3.5).
 */
export function policyDocument(statements: readonly Statement[], kind: DocumentKind = "identity"): pulumi.Output<string> {
  for (const statement of statements) {
    if (statement.Action.length === 0 || statement.Resource.length === 0) {
      throw new Error(`policy statement ${statement.Sid} has no ${statement.Action.length === 0 ? "Action" : "Resource"}: name at least one`);
    }
    if (statement.Effect === "Allow") {
      const wildcards = statement.Action.filter((a) => a.includes("*"));
      if (wildcards.length > 0) throw new Error(`policy statement ${statement.Sid} allows ${wildcards.join(", ")}: name each action instead of a wildcard`);
    }
    const star = statement.Resource.includes(KEY_POLICY_RESOURCE);
    if (kind === "key" && (!star || statement.Resource.length !== 1)) {
      throw new Error(`key policy statement ${statement.Sid} has Resource ${JSON.stringify(statement.Resource)}: a key policy's Resource is always "*" (this key)`);
    }
    if (kind !== "key" && star && statement.Effect === "Allow") {
      const others = statement.Action.filter((a) => !STAR_RESOURCE_ACTIONS.includes(a));
      if (others.length > 0) {
        throw new Error(`policy statement ${statement.Sid} grants ${others.join(", ")} on "*": scope them to ARNs (only STAR_RESOURCE_ACTIONS in infra/iam.ts may use "*")`);
      }
    }
  }
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** A role's trust policy: one AWS service may assume it, optionally only on behalf of this account or a source ARN. */
export function trustPolicy(service: string, condition?: Condition): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "AssumedBy", Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) }],
  });
}

/** Where the stack deploys: partition and region from config, the account from the credentials. */
export interface AwsContext {
  readonly partition: string;
  readonly region: string;
  readonly accountId: pulumi.Output<string>;
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function awsContext(region: string): AwsContext {
  return { partition: partitionOf(region), region, accountId: aws.getCallerIdentityOutput().accountId };
}

/** `<service>.<region>.amazonaws.com`, the value of `kms:ViaService` for calls a service makes for a caller. */
export function viaService(service: string, ctx: AwsContext): string {
  return `${service}.${ctx.region}.${ctx.partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"}`;
}

/** A `Resource` of objects under a key prefix: `<bucket ARN>/<prefix>*`. */
export function objectsUnder(bucketArn: pulumi.Input<string>, prefix: string): pulumi.Output<string> {
  return pulumi.interpolate`${bucketArn}/${prefix}*`;
}
