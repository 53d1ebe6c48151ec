/**
 * Step Functions state machines: execution logging, tracing, and the resilience of every Task in the
 * definition. The Task rules are the project's own ASL lint (`step-functions/validation.ts`), which the
 * tests and the Pulumi program already run; the policy runs the same lint on what is being deployed.
 */
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { lintDefinition } from "../step-functions/validation";
import { settingsOf } from "./lib/settings";
import { cdkNag, fsbp } from "./lib/citations";
import { asRecord, asString, parseDocument, show } from "./lib/props";

/** Step Functions log levels, from the most to the least verbose. */
const LOG_LEVELS = ["ALL", "ERROR", "FATAL", "OFF"] as const;

export const stateMachineLogging: ResourceValidationPolicy = {
  name: "sfn-logging-enabled",
  description: "Checks whether every state machine logs execution history to CloudWatch Logs at the stack's minimum level or more.",
  enforcementLevel: "mandatory",
  severity: "medium",
  ...fsbp("StepFunctions.1", "Step Functions state machines should have logging turned on"),
  configSchema: {
    properties: {
      minimumLevel: { type: "string", enum: ["ALL", "ERROR", "FATAL"], default: "ERROR", description: "The least verbose level accepted (FSBP's default is ERROR)." },
      requireExecutionData: { type: "boolean", default: false, description: "Require includeExecutionData (inputs and outputs in the log)." },
    },
  },
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, reportViolation) => {
    const { minimumLevel, requireExecutionData } = settingsOf<{ minimumLevel: (typeof LOG_LEVELS)[number]; requireExecutionData: boolean }>(stateMachineLogging, args);
    const logging = asRecord(machine.loggingConfiguration);
    const level = asString(logging?.level) ?? "OFF";
    const rank = LOG_LEVELS.indexOf(level as (typeof LOG_LEVELS)[number]);
    if (rank < 0 || rank > LOG_LEVELS.indexOf(minimumLevel)) {
      reportViolation(`state machine "${args.name}" logs at level ${show(logging?.level)}; this stack requires ${minimumLevel} or more verbose: set loggingConfiguration.level`);
    }
    if (level !== "OFF" && !asString(logging?.logDestination)) {
      reportViolation(`state machine "${args.name}" has no loggingConfiguration.logDestination: set it to its log group's ARN followed by ":*"`);
    }
    if (requireExecutionData && logging?.includeExecutionData !== true) {
      reportViolation(`state machine "${args.name}" omits execution data from its logs; this stack requires it: set loggingConfiguration.includeExecutionData: true`);
    }
  }),
};

export const stateMachineTracing: ResourceValidationPolicy = {
  name: "sfn-xray-tracing",
  description: "Checks whether every state machine has X-Ray tracing enabled.",
  enforcementLevel: "mandatory",
  severity: "low",
  ...cdkNag("AwsSolutions-SF2", "The Step Function does not have X-Ray tracing enabled"),
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, reportViolation) => {
    if (asRecord(machine.tracingConfiguration)?.enabled !== true) {
      reportViolation(`state machine "${args.name}" has X-Ray tracing off: set tracingConfiguration: { enabled: true }`);
    }
  }),
};

export const stateMachineTaskResilience: ResourceValidationPolicy = {
  name: "sfn-task-retry-catch-timeout",
  description: "Checks whether every Task in each state machine definition has TimeoutSeconds, a Retry on transient errors only, and a Catch that records the failure.",
  enforcementLevel: "mandatory",
  severity: "high",
  // No control in the three catalogues inspects ASL; the nearest asks the same of a Lambda on its own:
  // that its failures go somewhere rather than vanish.
  ...cdkNag("Serverless-LambdaAsyncFailureDestination", "Nearest control (none inspects ASL): Lambda functions should have a failure destination"),
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, args, reportViolation) => {
    const parsed = parseDocument(machine.definition);
    if (!parsed.ok) {
      reportViolation(`state machine "${args.name}" has a definition that ${parsed.error}: fix definition.asl.json`);
      return;
    }
    for (const problem of lintDefinition(parsed.value)) reportViolation(`state machine "${args.name}": ${problem}`);
  }),
};

export const stepFunctionsPolicies = [stateMachineLogging, stateMachineTracing, stateMachineTaskResilience];
