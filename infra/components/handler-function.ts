import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { HandlerName } from "../shared/bundling";
import type { BundleZip } from "../shared/zip";
import { policyDocument, STAR_RESOURCE_ACTIONS, trustPolicy, type Statement } from "../iam";

export interface HandlerFunctionArgs {
  /** Which handler: its bundle is `dist/lambdas/<handler>/`, its tag `Handler=<handler>`. */
  readonly handler: HandlerName;
  /** The deterministic zip of the bundle (`bundleZip`), deployed as-is so Lambda's CodeSha256 matches. */
  readonly zip: BundleZip;
  /** Memory in MB (128-10240). */
  readonly memoryMb: number;
  /** Timeout in seconds; below the TimeoutSeconds of the Task that invokes the function. */
  readonly timeoutSeconds: number;
  /** Reserved concurrency, or "unreserved" to share the account's pool. */
  readonly reservedConcurrency: "unreserved" | number;
  /** Environment variables of the function. */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** The data this handler may touch: its own statements, scoped to prefixes and the table. */
  readonly dataStatements: readonly Statement[];
  /** Retention of the function's log group, in days. */
  readonly logRetentionDays: number;
  /** The customer managed key of the log group; undefined leaves CloudWatch Logs' own encryption. */
  readonly logKmsKeyArn: pulumi.Input<string> | undefined;
  /** Subnets and security group to run in, when the stack places functions in its VPC. */
  readonly network: { readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>; readonly securityGroupIds: pulumi.Input<pulumi.Input<string>[]> } | undefined;
}

/** Lambda's rules for a VPC function's role (AWSLambdaVPCAccessExecutionRole, without its logs:* on "*"). */
const VPC_ACTIONS = STAR_RESOURCE_ACTIONS.filter((a) => a.startsWith("ec2:"));
const XRAY_ACTIONS = STAR_RESOURCE_ACTIONS.filter((a) => a.startsWith("xray:"));

/**
 * One handler: its own role (only what it uses), its own log group, arm64 on nodejs22.x with
 * X-Ray Active, published, and the `live` alias the workflow invokes.
 */
export class HandlerFunction extends pulumi.ComponentResource {
  readonly functionName: pulumi.Output<string>;
  readonly functionArn: pulumi.Output<string>;
  readonly aliasArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: HandlerFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("batch-ingest:compute:HandlerFunction", name, {}, opts);
    const logGroup = this.createLogGroup(name, args);
    const role = this.createRole(name);
    const policy = this.createRolePolicy(name, role, logGroup, args);
    const fn = this.createFunction(name, args, role, logGroup, policy);
    const alias = this.createLiveAlias(name, fn);
    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.aliasArn = alias.arn;
    this.roleArn = role.arn;
    this.logGroupName = logGroup.name;
    this.registerOutputs({ functionName: this.functionName, functionArn: this.functionArn, aliasArn: this.aliasArn, roleArn: this.roleArn });
  }

  private createLogGroup(name: string, args: HandlerFunctionArgs): aws.cloudwatch.LogGroup {
    return new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { namePrefix: `/aws/lambda/batch-ingest-${pulumi.getStack()}-${args.handler}-`, retentionInDays: args.logRetentionDays, kmsKeyId: args.logKmsKeyArn },
      { parent: this },
    );
  }

  private createRole(name: string): aws.iam.Role {
    return new aws.iam.Role(`${name}-role`, { assumeRolePolicy: trustPolicy("lambda.amazonaws.com"), description: "batch-ingest handler: only the actions this handler uses" }, { parent: this });
  }

  private createRolePolicy(name: string, role: aws.iam.Role, logGroup: aws.cloudwatch.LogGroup, args: HandlerFunctionArgs): aws.iam.RolePolicy {
    const statements: Statement[] = [
      { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [pulumi.interpolate`${logGroup.arn}:log-stream:*`] },
      { Sid: "XRayActiveTracing", Effect: "Allow", Action: XRAY_ACTIONS, Resource: ["*"] },
      ...args.dataStatements,
    ];
    if (args.network) statements.push({ Sid: "VpcNetworkInterfaces", Effect: "Allow", Action: VPC_ACTIONS, Resource: ["*"] });
    return new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: policyDocument(statements) }, { parent: this });
  }

  private createFunction(name: string, args: HandlerFunctionArgs, role: aws.iam.Role, logGroup: aws.cloudwatch.LogGroup, policy: aws.iam.RolePolicy): aws.lambda.Function {
    return new aws.lambda.Function(
      `${name}-function`,
      {
        description: `batch-ingest ${args.handler} handler`,
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        handler: "index.handler",
        // The zip is uploaded byte for byte (Pulumi passes a .zip FileArchive through unchanged),
        // so Lambda's CodeSha256 is the one computed here; setting it also catches out-of-band edits.
        code: new pulumi.asset.FileArchive(args.zip.path),
        codeSha256: args.zip.codeSha256,
        role: role.arn,
        memorySize: args.memoryMb,
        timeout: args.timeoutSeconds,
        reservedConcurrentExecutions: args.reservedConcurrency === "unreserved" ? undefined : args.reservedConcurrency,
        publish: true,
        tracingConfig: { mode: "Active" },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        environment: { variables: { ...args.environment } },
        vpcConfig: args.network ? { subnetIds: args.network.subnetIds, securityGroupIds: args.network.securityGroupIds } : undefined,
        tags: { Handler: args.handler },
      },
      // Lambda checks the role's ENI permissions when it creates a VPC function: the policy goes first.
      { parent: this, dependsOn: [policy] },
    );
  }

  private createLiveAlias(name: string, fn: aws.lambda.Function): aws.lambda.Alias {
    // A fixed name: the workflow invokes `<function>:live`, and a deploy moves the alias to the new version.
    return new aws.lambda.Alias(`${name}-live`, { name: "live", functionName: fn.name, functionVersion: fn.version }, { parent: this });
  }
}
