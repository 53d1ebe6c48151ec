import assert from "node:assert/strict";
import { dynamodbCapacityMode, dynamodbDeletionProtection, dynamodbPointInTimeRecovery } from "./dynamodb";
import { TYPES } from "./lib/resource-types";
import { bucket, resource, table, TABLE_NAME } from "./test-fixtures";
import { checkResource, checkStack, resourceViolations, stackViolations, UNKNOWN, type TestResource } from "./testing";

describe("dynamodb-point-in-time-recovery", () => {
  const cases = [
    { when: "PITR is enabled", props: {}, expect: null },
    { when: "PITR is disabled", props: { pointInTimeRecovery: { enabled: false } }, expect: /point-in-time recovery false/ },
    { when: "PITR is not declared", props: { pointInTimeRecovery: undefined }, expect: /point-in-time recovery not set/ },
  ];
  for (const c of cases) {
    it(`${c.expect ? "denies" : "allows"} a table when ${c.when}`, async () => {
      const messages = await resourceViolations(dynamodbPointInTimeRecovery, table(c.props));
      if (c.expect) assert.match(messages.join(), c.expect);
      else assert.deepEqual(messages, []);
    });
  }
});

describe("dynamodb-deletion-protection", () => {
  it("allows a protected table where protection is required", async () => {
    assert.deepEqual(await resourceViolations(dynamodbDeletionProtection, table(), { required: true }), []);
  });
  it("denies an unprotected table where protection is required, which is the default", async () => {
    const messages = await resourceViolations(dynamodbDeletionProtection, table({ deletionProtectionEnabled: false }));
    assert.match(messages.join(), /deletionProtectionEnabled false; this stack requires it/);
  });
  it("does not apply where the stack's config does not require protection", async () => {
    const outcome = await checkResource(dynamodbDeletionProtection, table({ deletionProtectionEnabled: false }), { required: false });
    assert.deepEqual(outcome.violations, []);
    assert.match(outcome.notApplicable.join(), /does not require deletion protection/);
  });
  it("does not apply to resources other than tables", async () => {
    const outcome = await checkResource(dynamodbDeletionProtection, bucket());
    assert.match(outcome.notApplicable.join(), /aws:dynamodb\/table:Table/);
  });
});

describe("dynamodb-capacity-scales", () => {
  const target = (dimension: string, resourceId = `table/${TABLE_NAME}`, extra: Partial<TestResource> = {}): TestResource =>
    resource(TYPES.scalingTarget, `state-${dimension.split(":").pop()}-${resourceId.length}`, { serviceNamespace: "dynamodb", resourceId, scalableDimension: dimension, minCapacity: 1, maxCapacity: 20 }, extra);
  const provisioned = table({ billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 5 });
  const tableTargets = [target("dynamodb:table:ReadCapacityUnits"), target("dynamodb:table:WriteCapacityUnits")];
  const withIndex = table({ billingMode: "PROVISIONED", globalSecondaryIndexes: [{ name: "byStatus", hashKey: "status", projectionType: "ALL", readCapacity: 1, writeCapacity: 1 }] });

  const cases: Array<{ when: string; resources: TestResource[]; expect: RegExp | null }> = [
    { when: "it is on-demand", resources: [table()], expect: null },
    { when: "it is provisioned with read and write scaling", resources: [provisioned, ...tableTargets], expect: null },
    { when: "it is provisioned without scaling", resources: [provisioned], expect: /table "state-table" is provisioned without auto scaling of ReadCapacityUnits and WriteCapacityUnits/ },
    { when: "billingMode is not set, which the provider treats as provisioned", resources: [table({ billingMode: undefined })], expect: /provisioned without auto scaling/ },
    { when: "only reads scale", resources: [provisioned, tableTargets[0]!], expect: /without auto scaling of WriteCapacityUnits/ },
    { when: "the targets scale another table", resources: [provisioned, target("dynamodb:table:ReadCapacityUnits", "table/other"), target("dynamodb:table:WriteCapacityUnits", "table/other")], expect: /ReadCapacityUnits and WriteCapacityUnits/ },
    { when: "a provisioned index does not scale", resources: [withIndex, ...tableTargets], expect: /index "byStatus" of table "state-table" is provisioned without auto scaling/ },
    {
      when: "the table and its index both scale",
      resources: [withIndex, ...tableTargets, target("dynamodb:index:ReadCapacityUnits", `table/${TABLE_NAME}/index/byStatus`), target("dynamodb:index:WriteCapacityUnits", `table/${TABLE_NAME}/index/byStatus`)],
      expect: null,
    },
  ];
  for (const c of cases) {
    it(`${c.expect ? "denies" : "allows"} a table when ${c.when}`, async () => {
      const messages = await stackViolations(dynamodbCapacityMode, c.resources);
      if (c.expect) {
        assert.equal(messages.length, 1, messages.join("\n"));
        assert.match(messages[0]!, c.expect);
      } else {
        assert.deepEqual(messages, []);
      }
    });
  }

  it("links scaling targets to a new table through property dependencies when its name is unknown", async () => {
    const newTable = table({ billingMode: "PROVISIONED", name: UNKNOWN.string });
    const targets = ["Read", "Write"].map((d) => target(`dynamodb:table:${d}CapacityUnits`, UNKNOWN.string, { propertyDependencies: { resourceId: [newTable.urn!] } }));
    assert.deepEqual(await stackViolations(dynamodbCapacityMode, [newTable, ...targets]), []);
  });

  it("is not applicable to a stack without tables", async () => {
    assert.match((await checkStack(dynamodbCapacityMode, [bucket()])).notApplicable.join(), /no DynamoDB table/);
  });
});
