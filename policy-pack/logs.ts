/**
 * Log retention: every log group expires its events, after a number of days CloudWatch accepts and
 * within the bounds a stack sets (a week in dev, a year or more in prod).
 */
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationPolicy } from "@pulumi/policy";
import { LOG_RETENTION_DAYS } from "../infra/config";
import { settingsOf } from "./lib/settings";
import { fsbp } from "./lib/citations";
import { asNumber, show } from "./lib/props";

export const logGroupRetention: ResourceValidationPolicy = {
  name: "log-group-retention",
  description: "Checks whether every CloudWatch log group sets a retention CloudWatch accepts, within the stack's bounds.",
  enforcementLevel: "mandatory",
  severity: "medium",
  ...fsbp("CloudWatch.16", "CloudWatch log groups should be retained for a specified time period"),
  configSchema: {
    properties: {
      minimumDays: { type: "integer", enum: [...LOG_RETENTION_DAYS], default: 365, description: "The shortest retention accepted (FSBP's default is 365)." },
      maximumDays: { type: "integer", enum: [...LOG_RETENTION_DAYS], default: 3653, description: "The longest retention accepted; logs hold record data, so keep it no longer than needed." },
    },
  },
  validateResource: validateResourceOfType(aws.cloudwatch.LogGroup, (group, args, reportViolation) => {
    const { minimumDays, maximumDays } = settingsOf<{ minimumDays: number; maximumDays: number }>(logGroupRetention, args);
    const days = asNumber(group.retentionInDays);
    if (days === undefined || days === 0) {
      reportViolation(`log group "${args.name}" never expires its events (retentionInDays ${show(group.retentionInDays)}): set retentionInDays between ${minimumDays} and ${maximumDays}`);
    } else if (!(LOG_RETENTION_DAYS as readonly number[]).includes(days)) {
      reportViolation(`log group "${args.name}" has retentionInDays ${days}, which CloudWatch refuses; allowed: ${LOG_RETENTION_DAYS.join(", ")}`);
    } else if (days < minimumDays || days > maximumDays) {
      reportViolation(`log group "${args.name}" keeps events ${days} days; this stack requires ${minimumDays} to ${maximumDays}: set retentionInDays (batch-ingest:logRetentionDays) within those bounds`);
    }
  }),
};

export const logPolicies = [logGroupRetention];
