import assert from "node:assert/strict";
import type { StackConfig } from "../config";
import { TTL_ATTRIBUTE } from "../shared/table";
import { STACKS, type ProgramRun, type RecordedResource, type StackName } from "../testing/harness";
import { ofType, one, TYPES as T } from "../testing/inspect";
import { stackConfigs, stackRuns } from "../testing/stack-runs";

describe("StateTable, per stack", () => {
  let runs: Record<StackName, ProgramRun>;
  const configs: Record<StackName, StackConfig> = stackConfigs();
  const res = (stack: StackName): RecordedResource[] => runs[stack].resources;

  before(async () => {
    runs = await stackRuns();
  });

  it("keeps the table's PK/SK layout with point-in-time recovery and TTL, and the stack's capacity mode", () => {
    for (const stack of STACKS) {
      const table = one(res(stack), T.table).inputs;
      assert.equal(table["hashKey"], "PK");
      assert.equal(table["rangeKey"], "SK");
      assert.deepEqual(table["attributes"], [{ name: "PK", type: "S" }, { name: "SK", type: "S" }]);
      assert.deepEqual(table["pointInTimeRecovery"], { enabled: true }, `${stack}: PITR`);
      assert.deepEqual(table["ttl"], { attributeName: TTL_ATTRIBUTE, enabled: true });
      assert.equal(table["billingMode"], configs[stack].capacityMode === "provisioned" ? "PROVISIONED" : "PAY_PER_REQUEST");
    }
    const targets = ofType(res("qa"), "aws:appautoscaling/target:Target").map((t) => [t.inputs["scalableDimension"], t.inputs["minCapacity"], t.inputs["maxCapacity"]]);
    const capacity = configs.qa.provisionedCapacity;
    assert.ok(capacity);
    assert.deepEqual(targets.sort(), [
      ["dynamodb:table:ReadCapacityUnits", capacity.readMin, capacity.readMax],
      ["dynamodb:table:WriteCapacityUnits", capacity.writeMin, capacity.writeMax],
    ]);
  });

});
