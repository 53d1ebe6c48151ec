/**
 * Every policy cites the control it mirrors, so a reviewer can check the rule against its source and
 * Pulumi Cloud can group findings by framework. The citation travels in the policy's `framework`
 * field (shown by `pulumi preview` and Pulumi Cloud) and its `url`.
 */
import type { PolicyComplianceFramework } from "@pulumi/policy";

export const FRAMEWORKS = {
  securityHub: "AWS Security Hub",
  cdkNag: "cdk-nag",
  checkov: "Checkov",
} as const;

export type FrameworkName = (typeof FRAMEWORKS)[keyof typeof FRAMEWORKS];

export interface Citation {
  readonly framework: PolicyComplianceFramework;
  readonly url: string;
}

const FSBP_PAGES: Record<string, string> = {
  S3: "s3-controls",
  DynamoDB: "dynamodb-controls",
  Lambda: "lambda-controls",
  StepFunctions: "stepfunctions-controls",
  IAM: "iam-controls",
  CloudWatch: "cloudwatch-controls",
  SNS: "sns-controls",
};

/**
 * A Security Hub control, e.g. `fsbp("S3.8", "S3 general purpose buckets should block public access")`;
 * from the Foundational Security Best Practices standard unless another standard is named.
 */
export function fsbp(control: string, title: string, standard = "Foundational Security Best Practices v1.0.0"): Citation {
  const [service, number] = control.split(".");
  const page = FSBP_PAGES[service ?? ""];
  if (!page || !number) throw new Error(`unknown FSBP control "${control}": use <Service>.<n> with a service in ${Object.keys(FSBP_PAGES).join(", ")}`);
  return {
    framework: { name: FRAMEWORKS.securityHub, version: standard, reference: control, specification: title },
    url: `https://docs.aws.amazon.com/securityhub/latest/userguide/${page}.html#${service!.toLowerCase()}-${number}`,
  };
}

/** A cdk-nag rule, e.g. `cdkNag("AwsSolutions-IAM5", "...")` or `cdkNag("Serverless-LambdaTracing", "...")`. */
export function cdkNag(rule: string, title: string): Citation {
  const pack = rule.startsWith("Serverless-") ? "ServerlessChecks" : "AwsSolutionsChecks";
  return {
    framework: { name: FRAMEWORKS.cdkNag, version: "2", reference: rule, specification: title },
    url: `https://github.com/cdklabs/cdk-nag/blob/main/RULES.md#${pack.toLowerCase()}`,
  };
}

/** A Checkov check, e.g. `checkov("CKV_AWS_158", "...")`. */
export function checkov(id: string, title: string): Citation {
  return {
    framework: { name: FRAMEWORKS.checkov, version: "3", reference: id, specification: title },
    url: "https://www.checkov.io/5.Policy%20Index/terraform.html",
  };
}
