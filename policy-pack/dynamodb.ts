/**
 * DynamoDB: recovery, deletion protection and capacity. Deletion protection is a prod decision (a dev
 * table must be disposable), so it is a config setting; capacity is a stack policy because provisioned
 * tables scale through separate Application Auto Scaling targets.
 */
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { settingsOf } from "./lib/settings";
import { fsbp } from "./lib/citations";
import { asArray, asRecord, asString, known, show } from "./lib/props";
import { TYPES } from "./lib/resource-types";
import { knownStrings, referencing } from "./lib/stack-graph";

export const dynamodbPointInTimeRecovery: ResourceValidationPolicy = {
  name: "dynamodb-point-in-time-recovery",
  description: "Checks whether every DynamoDB table has point-in-time recovery enabled.",
  enforcementLevel: "mandatory",
  severity: "medium",
  ...fsbp("DynamoDB.2", "DynamoDB tables should have point-in-time recovery enabled"),
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    const pitr = asRecord(table.pointInTimeRecovery);
    if (pitr?.enabled !== true) {
      reportViolation(`table "${args.name}" has point-in-time recovery ${show(pitr?.enabled)}: set pointInTimeRecovery: { enabled: true }`);
    }
  }),
};

export const dynamodbDeletionProtection: ResourceValidationPolicy = {
  name: "dynamodb-deletion-protection",
  description: "Checks whether every DynamoDB table has deletion protection on, in stacks whose config requires it.",
  enforcementLevel: "mandatory",
  severity: "high",
  ...fsbp("DynamoDB.6", "DynamoDB tables should have deletion protection enabled"),
  configSchema: {
    properties: {
      required: { type: "boolean", default: true, description: "Require deletionProtectionEnabled; true in prod, false where tables are disposable." },
    },
  },
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    const { required } = settingsOf<{ required: boolean }>(dynamodbDeletionProtection, args);
    if (!required) args.notApplicable("this stack's policy config does not require deletion protection");
    if (table.deletionProtectionEnabled !== true) {
      reportViolation(`table "${args.name}" has deletionProtectionEnabled ${show(table.deletionProtectionEnabled)}; this stack requires it: set deletionProtectionEnabled: true`);
    }
  }),
};

const CAPACITY_DIMENSIONS = ["ReadCapacityUnits", "WriteCapacityUnits"] as const;

/** The scaling targets of a table (or of one of its indexes), found by `resourceId` = `table/<name>[/index/<index>]`. */
function scalingTargets(resources: readonly PolicyResource[], table: PolicyResource, index?: string): PolicyResource[] {
  const suffix = index === undefined ? "" : `/index/${index}`;
  const matches = (value: string, t: PolicyResource) => knownStrings(t, ["name", "id"]).some((n) => value === `table/${n}${suffix}`);
  return referencing(resources, TYPES.scalingTarget, "resourceId", table, matches).filter((target) => {
    // With only a dependency to go on, the index suffix must still agree when the id is known.
    const read = known(() => target.props.resourceId as unknown);
    const id = read.known ? asString(read.value) : undefined;
    return id === undefined || (index === undefined ? !id.includes("/index/") : id.endsWith(suffix));
  });
}

export const dynamodbCapacityMode: StackValidationPolicy = {
  name: "dynamodb-capacity-scales",
  description: "Checks whether every DynamoDB table is on-demand, or provisioned with auto scaling of read and write capacity for the table and each index.",
  enforcementLevel: "mandatory",
  severity: "medium",
  ...fsbp("DynamoDB.1", "DynamoDB tables should automatically scale capacity with demand"),
  validateStack: (args, reportViolation) => {
    const tables = args.resources.filter((r) => r.type === TYPES.table);
    if (tables.length === 0) args.notApplicable("the stack has no DynamoDB table");
    for (const table of tables) {
      // The provider defaults billingMode to PROVISIONED, so "not set" means provisioned.
      const mode = asString(table.props.billingMode) ?? "PROVISIONED";
      if (mode === "PAY_PER_REQUEST") continue;
      const scopes: Array<{ label: string; index?: string; kind: "table" | "index" }> = [{ label: `table "${table.name}"`, kind: "table" }];
      for (const gsi of asArray(table.props.globalSecondaryIndexes)) {
        const index = asString(asRecord(gsi)?.name);
        if (index) scopes.push({ label: `index "${index}" of table "${table.name}"`, index, kind: "index" });
      }
      for (const scope of scopes) {
        const dimensions = scalingTargets(args.resources, table, scope.index).map((t) => asString(t.props.scalableDimension));
        const missing = CAPACITY_DIMENSIONS.filter((d) => !dimensions.includes(`dynamodb:${scope.kind}:${d}`));
        if (missing.length > 0) {
          reportViolation(
            `${scope.label} is provisioned without auto scaling of ${missing.join(" and ")}: use billingMode "PAY_PER_REQUEST", or add appautoscaling Targets ` +
              `(serviceNamespace "dynamodb", resourceId "table/<name>${scope.index ? `/index/${scope.index}` : ""}", scalableDimension ${missing.map((d) => `"dynamodb:${scope.kind}:${d}"`).join(", ")}) with target-tracking policies`,
            table.urn,
          );
        }
      }
    }
  },
};

export const dynamodbPolicies = [dynamodbPointInTimeRecovery, dynamodbDeletionProtection, dynamodbCapacityMode];
