import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { integrationStatements, PREFIXES, type DataTargets } from "../access";
import type { WorkflowLogLevel } from "../config";
import { renderDefinition, serviceIntegrations } from "../definition";
import { policyDocument, STAR_RESOURCE_ACTIONS, trustPolicy, type Statement } from "../iam";
import { HANDLER_NAMES, type HandlerName } from "../shared/bundling";

export interface WorkflowArgs {
  /** The definition template (`readDefinitionTemplate()`), with `${Placeholder}`s still in it. */
  readonly template: string;
  /** The `live` alias ARN of each handler; the definition invokes these and nothing else. */
  readonly aliasArns: Readonly<Record<HandlerName, pulumi.Input<string>>>;
  readonly tableName: pulumi.Input<string>;
  readonly bucketName: pulumi.Input<string>;
  /** Bucket, table and key the service-integration Tasks reach; the role is scoped to them. */
  readonly data: DataTargets;
  /** The customer managed key for execution history and the log group; undefined: AWS owned keys. */
  readonly kmsKeyArn: pulumi.Input<string> | undefined;
  readonly logRetentionDays: number;
  /** Which execution events are logged. */
  readonly logLevel: WorkflowLogLevel;
  /** Whether logs carry each state's input and output. */
  readonly includeExecutionData: boolean;
}

/** The EventBridge input: `{bucket, key, jobId}` from the S3 event; the event id (a UUID) is a valid jobId. */
export const TRIGGER_INPUT_PATHS = { bucket: "$.detail.bucket.name", key: "$.detail.object.key", jobId: "$.id" } as const;
export const TRIGGER_INPUT_TEMPLATE = '{"bucket":<bucket>,"key":<key>,"jobId":<jobId>}';

/** The alias EventBridge starts; a deploy points it at the version it publishes. */
export const LIVE_ALIAS = "live";

const XRAY_ACTIONS = STAR_RESOURCE_ACTIONS.filter((a) => a.startsWith("xray:"));
const LOG_DELIVERY_ACTIONS = STAR_RESOURCE_ACTIONS.filter((a) => a.startsWith("logs:"));

/**
 * Validates the definition with stand-in ARNs before anything is created. On a first preview the
 * real ARNs are unknown and the apply that renders the definition does not run, so without this a
 * broken definition would only fail `pulumi up`; with it, it fails every preview.
 */
export function checkDefinition(args: Pick<WorkflowArgs, "template" | "data">): void {
  const { partition, region } = args.data.ctx;
  const arn = (handler: HandlerName) => `arn:${partition}:lambda:${region}:000000000000:function:batch-ingest-${handler}:${LIVE_ALIAS}`;
  renderDefinition(args.template, {
    ValidateFunctionArn: arn("validate"),
    TransformFunctionArn: arn("transform"),
    LoadFunctionArn: arn("load"),
    ReportFunctionArn: arn("report"),
    TableName: "batch-ingest-state",
  });
}

/**
 * The ingest state machine: the definition with this stack's ARNs, validated while the program runs;
 * logged, traced and encrypted; published behind a `live` alias that an EventBridge rule starts for
 * every object created under incoming/.
 */
export class Workflow extends pulumi.ComponentResource {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly stateMachineName: pulumi.Output<string>;
  readonly aliasArn: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly definition: pulumi.Output<string>;

  constructor(name: string, args: WorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("batch-ingest:orchestration:Workflow", name, {}, opts);
    checkDefinition(args);
    const logGroup = this.createLogGroup(name, args);
    const role = this.createRole(name, args);
    const policy = this.createRolePolicy(name, role, args);
    this.definition = this.renderDefinition(args);
    const machine = this.createStateMachine(name, args, role, logGroup, policy);
    const encryptionPolicy = this.createEncryptionPolicy(name, role, machine, args);
    const alias = this.createLiveAlias(name, machine);
    this.createTrigger(name, machine, alias, args, encryptionPolicy);
    this.stateMachineArn = machine.arn;
    this.stateMachineName = machine.name;
    this.aliasArn = alias.arn;
    this.roleArn = role.arn;
    this.registerOutputs({ stateMachineArn: this.stateMachineArn, aliasArn: this.aliasArn, roleArn: this.roleArn });
  }

  private createLogGroup(name: string, args: WorkflowArgs): aws.cloudwatch.LogGroup {
    // Under /aws/vendedlogs/ so CloudWatch Logs' resource policy for log delivery stays one wildcard.
    return new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { namePrefix: `/aws/vendedlogs/states/batch-ingest-${pulumi.getStack()}-ingest-`, retentionInDays: args.logRetentionDays, kmsKeyId: args.kmsKeyArn },
      { parent: this },
    );
  }

  private createRole(name: string, args: WorkflowArgs): aws.iam.Role {
    return new aws.iam.Role(
      `${name}-role`,
      {
        assumeRolePolicy: trustPolicy("states.amazonaws.com", { StringEquals: { "aws:SourceAccount": args.data.ctx.accountId } }),
        description: "batch-ingest workflow: invokes the four live aliases and the Tasks' own service calls",
      },
      { parent: this },
    );
  }

  private createRolePolicy(name: string, role: aws.iam.Role, args: WorkflowArgs): aws.iam.RolePolicy {
    const { ctx } = args.data;
    const statements: Statement[] = [
      { Sid: "InvokeLiveAliases", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: HANDLER_NAMES.map((h) => args.aliasArns[h]) },
      ...integrationStatements(serviceIntegrations(args.template), args.data),
      { Sid: "XRayTracing", Effect: "Allow", Action: XRAY_ACTIONS, Resource: ["*"] },
      { Sid: "LogDelivery", Effect: "Allow", Action: LOG_DELIVERY_ACTIONS, Resource: ["*"] },
    ];
    if (args.kmsKeyArn !== undefined) {
      // Logging a state machine encrypted with a customer managed key (Step Functions guide, "Data at rest encryption").
      statements.push({
        Sid: "LogDeliveryDataKey",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey"],
        Resource: [args.kmsKeyArn],
        Condition: { StringLike: { "kms:EncryptionContext:SourceArn": pulumi.interpolate`arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:*` } },
      });
    }
    return new aws.iam.RolePolicy(`${name}-policy`, { role: role.name, policy: policyDocument(statements) }, { parent: this });
  }

  private renderDefinition(args: WorkflowArgs): pulumi.Output<string> {
    const [validate, transform, load, report] = HANDLER_NAMES.map((h) => args.aliasArns[h]);
    // Substituted and validated inside the apply: a bad definition fails the preview with asl-validator's message.
    return pulumi.all([validate, transform, load, report, args.tableName]).apply(([v, t, l, r, table]) =>
      renderDefinition(args.template, { ValidateFunctionArn: v, TransformFunctionArn: t, LoadFunctionArn: l, ReportFunctionArn: r, TableName: table }),
    );
  }

  private createStateMachine(name: string, args: WorkflowArgs, role: aws.iam.Role, logGroup: aws.cloudwatch.LogGroup, policy: aws.iam.RolePolicy): aws.sfn.StateMachine {
    return new aws.sfn.StateMachine(
      `${name}-state-machine`,
      {
        type: "STANDARD",
        definition: this.definition,
        roleArn: role.arn,
        publish: true,
        loggingConfiguration: { level: args.logLevel, includeExecutionData: args.includeExecutionData, logDestination: pulumi.interpolate`${logGroup.arn}:*` },
        tracingConfiguration: { enabled: true },
        encryptionConfiguration:
          args.kmsKeyArn === undefined
            ? { type: "AWS_OWNED_KEY" }
            : { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 },
      },
      // CreateStateMachine checks that the role may deliver logs: the policy must exist first.
      { parent: this, dependsOn: [policy] },
    );
  }

  private createEncryptionPolicy(name: string, role: aws.iam.Role, machine: aws.sfn.StateMachine, args: WorkflowArgs): aws.iam.RolePolicy | undefined {
    if (args.kmsKeyArn === undefined) return undefined;
    // Executions encrypt their history with the key, in the encryption context of this state
    // machine (and its versions) only. A separate policy, as the condition needs the machine's ARN.
    return new aws.iam.RolePolicy(
      `${name}-encryption-policy`,
      {
        role: role.name,
        policy: policyDocument([
          {
            Sid: "EncryptExecutionHistory",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: [args.kmsKeyArn],
            Condition: { StringLike: { "kms:EncryptionContext:aws:states:stateMachineArn": [machine.arn, pulumi.interpolate`${machine.arn}:*`] } },
          },
        ]),
      },
      { parent: this },
    );
  }

  private createLiveAlias(name: string, machine: aws.sfn.StateMachine): aws.sfn.Alias {
    return new aws.sfn.Alias(`${name}-live`, { name: LIVE_ALIAS, routingConfigurations: [{ stateMachineVersionArn: machine.stateMachineVersionArn, weight: 100 }] }, { parent: this });
  }

  private createTrigger(name: string, machine: aws.sfn.StateMachine, alias: aws.sfn.Alias, args: WorkflowArgs, encryptionPolicy: aws.iam.RolePolicy | undefined): aws.cloudwatch.EventTarget {
    const rule = new aws.cloudwatch.EventRule(
      `${name}-trigger`,
      {
        description: "Starts the ingest workflow for each object created under incoming/",
        eventPattern: pulumi.jsonStringify({
          source: ["aws.s3"],
          "detail-type": ["Object Created"],
          detail: { bucket: { name: [args.bucketName] }, object: { key: [{ prefix: PREFIXES.incoming }] } },
        }),
      },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-trigger-role`,
      {
        assumeRolePolicy: trustPolicy("events.amazonaws.com", { StringEquals: { "aws:SourceArn": rule.arn, "aws:SourceAccount": args.data.ctx.accountId } }),
        description: "batch-ingest trigger: starts executions of the workflow's live alias",
      },
      { parent: this },
    );
    // Step Functions authorises StartExecution on an alias against the unqualified state machine
    // ARN; the qualifier condition scopes it to the live alias ("Authorization for versions and aliases").
    const policy = new aws.iam.RolePolicy(
      `${name}-trigger-policy`,
      {
        role: role.name,
        policy: policyDocument([
          {
            Sid: "StartLiveAlias",
            Effect: "Allow",
            Action: ["states:StartExecution"],
            Resource: [machine.arn],
            Condition: { "ForAnyValue:StringEquals": { "states:StateMachineQualifier": [LIVE_ALIAS] } },
          },
        ]),
      },
      { parent: this },
    );
    return new aws.cloudwatch.EventTarget(
      `${name}-trigger-target`,
      {
        rule: rule.name,
        arn: alias.arn,
        roleArn: role.arn,
        inputTransformer: { inputPaths: { ...TRIGGER_INPUT_PATHS }, inputTemplate: TRIGGER_INPUT_TEMPLATE },
      },
      // No execution may start before the role can start it and encrypt its history.
      { parent: this, dependsOn: encryptionPolicy ? [policy, encryptionPolicy] : [policy] },
    );
  }
}
