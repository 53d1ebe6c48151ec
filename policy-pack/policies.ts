/**
 * Every policy of the pack, from the one module per area that defines it. `index.ts` serves these to
 * the Pulumi CLI; the tests and the offline preview (`npm run preview`) import this list instead,
 * because constructing the `PolicyPack` starts the analyzer's gRPC server.
 */
import type { EnforcementLevel, Policies } from "@pulumi/policy";
import { dynamodbPolicies } from "./dynamodb";
import { encryptionPolicies } from "./encryption";
import { iamPolicies } from "./iam";
import { lambdaPolicies } from "./lambda";
import { logPolicies } from "./logs";
import { s3Policies } from "./s3";
import { stepFunctionsPolicies } from "./step-functions";
import { tagPolicies } from "./tags";

export const PACK_NAME = "batch-ingest";

/** The level of a policy that declares none; every policy here declares its own. */
export const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

export const PACK_DESCRIPTION =
  "batch-ingest guardrails: encryption, S3, DynamoDB, Lambda, Step Functions, IAM, tags and log retention, each mirroring a Security Hub, cdk-nag or Checkov control.";

export const policies: Policies = [
  ...encryptionPolicies,
  ...s3Policies,
  ...dynamodbPolicies,
  ...lambdaPolicies,
  ...stepFunctionsPolicies,
  ...iamPolicies,
  ...tagPolicies,
  ...logPolicies,
];
