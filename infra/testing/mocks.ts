import { createHash } from "node:crypto";
import { partitionOf } from "../iam";

/**
 * Plausible provider answers for `pulumi.runtime.setMocks`: physical names, ids and ARNs shaped
 * like the real ones (`arn:aws:<service>:<region>:123456789012:...`), so outputs, policies and the
 * substituted definition look as they will in AWS and validators that check ARNs accept them.
 * Everything is derived from a hash of the stack, type and logical name: two runs give the same values.
 */

export const MOCK_ACCOUNT_ID = "123456789012";

export interface MockContext {
  readonly stack: string;
  readonly region: string;
}

type Props = Record<string, unknown>;

function digest(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** What the provider's autonaming would produce: the logical name plus a random-looking suffix. */
function physicalName(ctx: MockContext, type: string, name: string, inputs: Props, nameKey = "name"): string {
  const given = str(inputs[nameKey]);
  if (given) return given;
  const prefix = str(inputs["namePrefix"]) ?? str(inputs["bucketPrefix"]);
  // Terraform's PrefixedUniqueId: the prefix, then a 26-digit timestamp-and-counter.
  if (prefix) return prefix + BigInt(`0x${digest(ctx.stack, type, name).slice(0, 21)}`).toString().padStart(26, "0").slice(0, 26);
  return `${name}-${digest(ctx.stack, type, name).slice(0, 7)}`;
}

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The `<service>` of a type token: `aws:ec2/vpcEndpoint:VpcEndpoint` -> `ec2`. */
function serviceOf(type: string): string {
  const module = type.split(":")[1] ?? "unknown";
  return module.split("/")[0] ?? "unknown";
}

/** The state a provider would return for a resource: its inputs plus the computed properties. */
export function mockResourceState(ctx: MockContext, type: string, name: string, inputs: Props): { id: string; state: Props } {
  const p = partitionOf(ctx.region);
  const r = ctx.region;
  const a = MOCK_ACCOUNT_ID;
  const hex = digest(ctx.stack, type, name);
  const arn = (service: string, resource: string, region = r, account = a): string => `arn:${p}:${service}:${region}:${account}:${resource}`;
  const with_ = (id: string, extra: Props): { id: string; state: Props } => ({ id, state: { ...inputs, ...extra } });

  switch (type) {
    case "aws:s3/bucket:Bucket": {
      const bucket = physicalName(ctx, type, name, inputs, "bucket");
      return with_(bucket, { bucket, arn: `arn:${p}:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com`, region: r });
    }
    case "aws:dynamodb/table:Table": {
      const table = physicalName(ctx, type, name, inputs);
      return with_(table, { name: table, arn: arn("dynamodb", `table/${table}`) });
    }
    case "aws:lambda/function:Function": {
      const fn = physicalName(ctx, type, name, inputs);
      const fnArn = arn("lambda", `function:${fn}`);
      return with_(fn, {
        name: fn,
        arn: fnArn,
        version: inputs["publish"] === true ? "1" : "$LATEST",
        qualifiedArn: `${fnArn}:${inputs["publish"] === true ? "1" : "$LATEST"}`,
        invokeArn: `arn:${p}:apigateway:${r}:lambda:path/2015-03-31/functions/${fnArn}/invocations`,
        codeSha256: inputs["codeSha256"] ?? "",
      });
    }
    case "aws:lambda/alias:Alias": {
      const alias = physicalName(ctx, type, name, inputs);
      const fnInput = str(inputs["functionName"]) ?? "unknown";
      const fn = fnInput.startsWith("arn:") ? (fnInput.split(":function:")[1] ?? fnInput).split(":")[0] : fnInput;
      const aliasArn = arn("lambda", `function:${fn}:${alias}`);
      return with_(aliasArn, { name: alias, arn: aliasArn, invokeArn: `arn:${p}:apigateway:${r}:lambda:path/2015-03-31/functions/${aliasArn}/invocations` });
    }
    case "aws:iam/role:Role": {
      const role = physicalName(ctx, type, name, inputs);
      return with_(role, { name: role, arn: `arn:${p}:iam::${a}:role${str(inputs["path"]) ?? "/"}${role}`, uniqueId: `AROA${hex.slice(0, 17).toUpperCase()}` });
    }
    case "aws:iam/rolePolicy:RolePolicy": {
      const policy = physicalName(ctx, type, name, inputs);
      return with_(`${String(inputs["role"])}:${policy}`, { name: policy });
    }
    case "aws:sfn/stateMachine:StateMachine": {
      const machine = physicalName(ctx, type, name, inputs);
      const machineArn = arn("states", `stateMachine:${machine}`);
      return with_(machineArn, {
        name: machine,
        arn: machineArn,
        stateMachineVersionArn: inputs["publish"] === true ? `${machineArn}:1` : "",
        revisionId: uuid(hex),
        status: "ACTIVE",
      });
    }
    case "aws:sfn/alias:Alias": {
      const alias = physicalName(ctx, type, name, inputs);
      const routes = Array.isArray(inputs["routingConfigurations"]) ? (inputs["routingConfigurations"] as Props[]) : [];
      const versionArn = str(routes[0]?.["stateMachineVersionArn"]) ?? arn("states", "stateMachine:unknown:1");
      const aliasArn = `${versionArn.replace(/:\d+$/, "")}:${alias}`;
      return with_(aliasArn, { name: alias, arn: aliasArn });
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const group = physicalName(ctx, type, name, inputs);
      return with_(group, { name: group, arn: arn("logs", `log-group:${group}`) });
    }
    case "aws:sns/topic:Topic": {
      const topic = physicalName(ctx, type, name, inputs);
      const topicArn = arn("sns", topic);
      return with_(topicArn, { name: topic, arn: topicArn });
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const subArn = `${str(inputs["topic"]) ?? arn("sns", "unknown")}:${uuid(hex)}`;
      return with_(subArn, { arn: subArn, pendingConfirmation: true });
    }
    case "aws:kms/key:Key": {
      const keyId = uuid(hex);
      return with_(keyId, { keyId, arn: arn("kms", `key/${keyId}`) });
    }
    case "aws:kms/alias:Alias": {
      const alias = physicalName(ctx, type, name, inputs);
      return with_(alias, { name: alias, arn: arn("kms", alias), targetKeyArn: str(inputs["targetKeyId"]) ?? "" });
    }
    case "aws:cloudwatch/eventRule:EventRule": {
      const rule = physicalName(ctx, type, name, inputs);
      return with_(rule, { name: rule, arn: arn("events", `rule/${rule}`) });
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const alarm = physicalName(ctx, type, name, inputs);
      return with_(alarm, { name: alarm, arn: arn("cloudwatch", `alarm:${alarm}`) });
    }
    case "aws:ec2/securityGroup:SecurityGroup": {
      const id = `sg-${hex.slice(0, 17)}`;
      return with_(id, { name: physicalName(ctx, type, name, inputs), arn: arn("ec2", `security-group/${id}`) });
    }
    case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
      const id = `sgr-${hex.slice(0, 17)}`;
      return with_(id, { securityGroupRuleId: id, arn: arn("ec2", `security-group-rule/${id}`) });
    }
    case "aws:ec2/vpcEndpoint:VpcEndpoint": {
      const id = `vpce-${hex.slice(0, 17)}`;
      return with_(id, { arn: arn("ec2", `vpc-endpoint/${id}`), prefixListId: `pl-${hex.slice(17, 25)}`, state: "available" });
    }
    case "aws:appautoscaling/target:Target": {
      const id = str(inputs["resourceId"]) ?? name;
      return with_(id, { arn: arn("application-autoscaling", `scalable-target/${hex.slice(0, 22)}`) });
    }
    case "aws:appautoscaling/policy:Policy": {
      const policy = physicalName(ctx, type, name, inputs);
      return with_(policy, { name: policy, arn: arn("autoscaling", `scalingPolicy:${uuid(hex)}:resource/${policy}`) });
    }
    case "awsx:ec2:Vpc": {
      // awsx's Vpc is a multi-language component: under mocks its children are never created, so
      // its outputs stand in for them (one isolated subnet and route table per availability zone).
      const azs = typeof inputs["numberOfAvailabilityZones"] === "number" ? inputs["numberOfAvailabilityZones"] : 3;
      const subnets = Array.from({ length: azs }, (_, i) => `subnet-${digest(hex, String(i)).slice(0, 17)}`);
      return with_("", {
        vpcId: `vpc-${hex.slice(0, 17)}`,
        isolatedSubnetIds: subnets,
        privateSubnetIds: [],
        publicSubnetIds: [],
        routeTables: subnets.map((_, i) => ({ id: `rtb-${digest(hex, "rtb", String(i)).slice(0, 17)}` })),
      });
    }
    default: {
      if (!type.startsWith("aws:")) return with_("", {});
      const physical = physicalName(ctx, type, name, inputs);
      return with_(physical, { arn: arn(serviceOf(type), `${type.split(":")[2] ?? "resource"}/${physical}`) });
    }
  }
}

/** Answers for the provider functions (invokes) the program and its components call. */
export function mockCall(ctx: MockContext, token: string): Props {
  const p = partitionOf(ctx.region);
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: MOCK_ACCOUNT_ID, arn: `arn:${p}:iam::${MOCK_ACCOUNT_ID}:user/mock-deployer`, userId: "AIDAMOCKDEPLOYER", id: MOCK_ACCOUNT_ID };
    case "aws:index/getRegion:getRegion":
      return { name: ctx.region, region: ctx.region, id: ctx.region, endpoint: `ec2.${ctx.region}.amazonaws.com`, description: ctx.region };
    case "aws:index/getPartition:getPartition":
      return { partition: p, id: p, dnsSuffix: p === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones":
      return { id: ctx.region, names: ["a", "b", "c"].map((z) => `${ctx.region}${z}`), zoneIds: ["az1", "az2", "az3"].map((z) => `${ctx.region.slice(0, 3)}${z}`), state: "available" };
    default:
      throw new Error(`no mock for the provider function ${token}: add one to infra/testing/mocks.ts`);
  }
}
