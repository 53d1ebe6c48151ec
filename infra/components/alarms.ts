import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlarmThresholds } from "../config";
import { HANDLER_NAMES, type HandlerName } from "../shared/bundling";

export interface AlarmsArgs {
  /** The name of each handler's function (the alarms watch every version). */
  readonly functionNames: Readonly<Record<HandlerName, pulumi.Input<string>>>;
  /** The state machine whose executions are watched. */
  readonly stateMachineArn: pulumi.Input<string>;
  /** How many events in one 5-minute period raise each alarm. */
  readonly thresholds: AlarmThresholds;
  /** The customer managed key of the topic (CloudWatch cannot publish under the AWS managed aws/sns key). */
  readonly topicKeyArn: pulumi.Input<string>;
  /** Where alarms are emailed (a secret); undefined creates the topic without a subscription. */
  readonly email: pulumi.Input<string> | undefined;
}

/** One alarm: a metric, its dimensions and threshold. */
interface AlarmSpec {
  readonly suffix: string;
  readonly namespace: "AWS/Lambda" | "AWS/States";
  readonly metric: string;
  readonly dimensions: Record<string, pulumi.Input<string>>;
  readonly threshold: number;
  readonly description: string;
}

const PERIOD_SECONDS = 300;

/** Alarms on handler Errors and Throttles and on failed, timed-out and throttled executions, to an encrypted topic. */
export class Alarms extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: AlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("batch-ingest:monitoring:Alarms", name, {}, opts);
    const topic = this.createTopic(name, args);
    if (args.email !== undefined) this.createEmailSubscription(name, topic, args.email);
    for (const spec of alarmSpecs(args)) this.createAlarm(name, topic, spec);
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }

  private createTopic(name: string, args: AlarmsArgs): aws.sns.Topic {
    return new aws.sns.Topic(`${name}-topic`, { displayName: `batch-ingest ${pulumi.getStack()} alarms`, kmsMasterKeyId: args.topicKeyArn }, { parent: this });
  }

  private createEmailSubscription(name: string, topic: aws.sns.Topic, email: pulumi.Input<string>): aws.sns.TopicSubscription {
    // The recipient confirms by email; until then SNS holds the subscription as pending.
    return new aws.sns.TopicSubscription(`${name}-email`, { topic: topic.arn, protocol: "email", endpoint: email }, { parent: this });
  }

  private createAlarm(name: string, topic: aws.sns.Topic, spec: AlarmSpec): aws.cloudwatch.MetricAlarm {
    return new aws.cloudwatch.MetricAlarm(
      `${name}-${spec.suffix}`,
      {
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metric,
        dimensions: spec.dimensions,
        statistic: "Sum",
        period: PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: spec.threshold,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // No data means nothing ran, which is not a failure.
        treatMissingData: "notBreaching",
        alarmActions: [topic.arn],
        okActions: [topic.arn],
      },
      { parent: this },
    );
  }
}

/** Every alarm of the stack: two per handler, three on the state machine. */
export function alarmSpecs(args: Pick<AlarmsArgs, "functionNames" | "stateMachineArn" | "thresholds">): AlarmSpec[] {
  const t = args.thresholds;
  const perFunction = HANDLER_NAMES.flatMap((handler): AlarmSpec[] => [
    {
      suffix: `${handler}-errors`,
      namespace: "AWS/Lambda",
      metric: "Errors",
      dimensions: { FunctionName: args.functionNames[handler] },
      threshold: t.functionErrors,
      description: `The ${handler} handler failed ${t.functionErrors} or more times in 5 minutes`,
    },
    {
      suffix: `${handler}-throttles`,
      namespace: "AWS/Lambda",
      metric: "Throttles",
      dimensions: { FunctionName: args.functionNames[handler] },
      threshold: t.functionThrottles,
      description: `The ${handler} handler was throttled ${t.functionThrottles} or more times in 5 minutes`,
    },
  ]);
  const machine = { StateMachineArn: args.stateMachineArn };
  return [
    ...perFunction,
    { suffix: "executions-failed", namespace: "AWS/States", metric: "ExecutionsFailed", dimensions: machine, threshold: t.executionsFailed, description: `${t.executionsFailed} or more ingest jobs failed in 5 minutes` },
    { suffix: "executions-timed-out", namespace: "AWS/States", metric: "ExecutionsTimedOut", dimensions: machine, threshold: t.executionsTimedOut, description: `${t.executionsTimedOut} or more ingest jobs timed out in 5 minutes` },
    { suffix: "execution-throttled", namespace: "AWS/States", metric: "ExecutionThrottled", dimensions: machine, threshold: t.executionThrottled, description: `Step Functions throttled ${t.executionThrottled} or more state transitions in 5 minutes` },
  ];
}
