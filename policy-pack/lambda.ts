/**
 * Lambda functions: runtime, public access, tracing, sizing and concurrency. Reserved concurrency is
 * a per-stack decision (dev shares the account's pool), so whether it is required is config.
 */
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { settingsOf } from "./lib/settings";
import { cdkNag, checkov, fsbp } from "./lib/citations";
import { asNumber, asRecord, asString, show } from "./lib/props";

export const lambdaRuntimeAllowed: ResourceValidationPolicy = {
  name: "lambda-runtime-allowed",
  description: "Checks whether every zip-packaged Lambda function uses a runtime from the allowed list.",
  enforcementLevel: "mandatory",
  severity: "medium",
  ...fsbp("Lambda.2", "Lambda functions should use supported runtimes"),
  configSchema: {
    properties: {
      allowedRuntimes: {
        type: "array",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        uniqueItems: true,
        default: ["nodejs22.x"],
        description: "Runtimes a function may use; the handlers are bundled for nodejs22.x.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    if (fn.packageType === "Image") args.notApplicable("container-image functions have no runtime setting");
    const { allowedRuntimes } = settingsOf<{ allowedRuntimes: string[] }>(lambdaRuntimeAllowed, args);
    const runtime = asString(fn.runtime);
    if (!runtime || !allowedRuntimes.includes(runtime)) {
      reportViolation(`function "${args.name}" uses runtime ${show(runtime)}; allowed: ${allowedRuntimes.join(", ")}`);
    }
  }),
};

/** A principal that is an account id or an IAM ARN names who may invoke; anything else is a service or everyone. */
function namesAnAccount(principal: string | undefined): boolean {
  return principal !== undefined && (/^\d{12}$/.test(principal) || principal.startsWith("arn:aws"));
}

export const lambdaNoPublicAccess: ResourceValidationPolicy = {
  name: "lambda-no-public-access",
  description: "Checks whether no Lambda function URL allows unauthenticated calls and every Lambda permission for a service or everyone is scoped by SourceArn or SourceAccount.",
  enforcementLevel: "mandatory",
  severity: "critical",
  ...fsbp("Lambda.1", "Lambda function policies should prohibit public access"),
  validateResource: [
    validateResourceOfType(aws.lambda.FunctionUrl, (url, args, reportViolation) => {
      if (url.authorizationType !== "AWS_IAM") {
        reportViolation(`function URL "${args.name}" has authorizationType ${show(url.authorizationType)}, which lets anyone call it: set authorizationType "AWS_IAM"`);
      }
    }),
    validateResourceOfType(aws.lambda.Permission, (permission, args, reportViolation) => {
      const principal = asString(permission.principal);
      if (permission.functionUrlAuthType === "NONE") {
        reportViolation(`permission "${args.name}" allows unauthenticated function URL calls: set functionUrlAuthType "AWS_IAM"`);
      }
      if (!namesAnAccount(principal) && !asString(permission.sourceArn) && !asString(permission.sourceAccount)) {
        reportViolation(`permission "${args.name}" lets ${principal === "*" ? "anyone" : `any ${show(principal)} resource, in any account,`} invoke the function: set sourceArn (or at least sourceAccount)`);
      }
    }),
  ],
};

export const lambdaXrayActive: ResourceValidationPolicy = {
  name: "lambda-xray-active",
  description: "Checks whether every Lambda function has X-Ray tracing in Active mode.",
  enforcementLevel: "mandatory",
  severity: "low",
  ...cdkNag("Serverless-LambdaTracing", "Lambda functions should have active X-Ray tracing enabled"),
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const mode = asString(asRecord(fn.tracingConfig)?.mode);
    if (mode !== "Active") reportViolation(`function "${args.name}" has tracing mode ${show(mode)}: set tracingConfig: { mode: "Active" }`);
  }),
};

/** Lambda's defaults; a checked input at exactly these values was most likely never chosen. */
const LAMBDA_DEFAULT_MEMORY_MB = 128;
const LAMBDA_DEFAULT_TIMEOUT_S = 3;

export const lambdaExplicitSizing: ResourceValidationPolicy = {
  name: "lambda-memory-timeout-explicit",
  description: "Checks whether every Lambda function sets its memory size and timeout explicitly, away from Lambda's 128 MB and 3 s defaults.",
  enforcementLevel: "mandatory",
  severity: "low",
  ...cdkNag("Serverless-LambdaDefaultMemorySize", "Lambda functions should have an explicit memory value (and, with Serverless-LambdaDefaultTimeout, an explicit timeout)"),
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const memory = asNumber(fn.memorySize);
    const timeout = asNumber(fn.timeout);
    if (memory === undefined || memory === LAMBDA_DEFAULT_MEMORY_MB) {
      reportViolation(`function "${args.name}" has memorySize ${show(fn.memorySize)} (Lambda's default is ${LAMBDA_DEFAULT_MEMORY_MB}): set memorySize for the handler's needs`);
    }
    if (timeout === undefined || timeout === LAMBDA_DEFAULT_TIMEOUT_S) {
      reportViolation(`function "${args.name}" has timeout ${show(fn.timeout)} (Lambda's default is ${LAMBDA_DEFAULT_TIMEOUT_S} s): set timeout below the calling Task's TimeoutSeconds`);
    }
  }),
};

export const lambdaReservedConcurrency: ResourceValidationPolicy = {
  name: "lambda-reserved-concurrency",
  description: "Checks whether every Lambda function reserves concurrency, in stacks whose config requires it.",
  enforcementLevel: "mandatory",
  severity: "low",
  ...checkov("CKV_AWS_115", "Ensure that AWS Lambda function is configured for function-level concurrent execution limit"),
  configSchema: {
    properties: {
      required: { type: "boolean", default: false, description: "Require reservedConcurrentExecutions; set where the account's pool is shared with other workloads." },
      minimum: { type: "integer", minimum: 1, default: 1, description: "The smallest reservation accepted." },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const { required, minimum } = settingsOf<{ required: boolean; minimum: number }>(lambdaReservedConcurrency, args);
    if (!required) args.notApplicable("this stack's policy config does not require reserved concurrency");
    const reserved = asNumber(fn.reservedConcurrentExecutions);
    // -1 (the provider's default) means no reservation; 0 throttles the function entirely.
    if (reserved === undefined || reserved < minimum) {
      reportViolation(`function "${args.name}" has reservedConcurrentExecutions ${show(fn.reservedConcurrentExecutions)}; this stack requires at least ${minimum}: set it from the stack config`);
    }
  }),
};

export const lambdaPolicies = [lambdaRuntimeAllowed, lambdaNoPublicAccess, lambdaXrayActive, lambdaExplicitSizing, lambdaReservedConcurrency];
