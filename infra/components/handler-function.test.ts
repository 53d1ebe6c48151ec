import assert from "node:assert/strict";
import type { StackConfig } from "../config";
import { HANDLER_NAMES } from "../shared/bundling";
import { STACKS, type ProgramRun, type RecordedResource, type StackName } from "../testing/harness";
import { one, record, TYPES as T } from "../testing/inspect";
import { stackConfigs, stackRuns } from "../testing/stack-runs";

describe("HandlerFunction, per stack", () => {
  let runs: Record<StackName, ProgramRun>;
  const configs: Record<StackName, StackConfig> = stackConfigs();
  const res = (stack: StackName): RecordedResource[] => runs[stack].resources;

  before(async () => {
    runs = await stackRuns();
  });

  it("runs each handler on arm64 nodejs22.x with the stack's memory, timeouts and concurrency, published behind a live alias", () => {
    for (const stack of STACKS) {
      const cfg = configs[stack];
      for (const handler of HANDLER_NAMES) {
        const fn = one(res(stack), T.fn, `${handler}-function`);
        assert.deepEqual(fn.inputs["architectures"], ["arm64"]);
        assert.equal(fn.inputs["runtime"], "nodejs22.x");
        assert.equal(fn.inputs["handler"], "index.handler");
        assert.equal(fn.inputs["memorySize"], cfg.memoryMb);
        assert.equal(fn.inputs["timeout"], cfg.timeoutSeconds[handler]);
        assert.equal(fn.inputs["reservedConcurrentExecutions"], cfg.reservedConcurrency === "unreserved" ? undefined : cfg.reservedConcurrency);
        assert.equal(fn.inputs["publish"], true);
        assert.equal(record(fn.inputs["tags"])["Handler"], handler);
        const alias = one(res(stack), "aws:lambda/alias:Alias", `${handler}-live`).inputs;
        assert.deepEqual(alias, { name: "live", functionName: fn.state["name"], functionVersion: fn.state["version"] });
      }
    }
  });

  it("gives each handler exactly the environment it reads", () => {
    for (const stack of STACKS) {
      const tableName = one(res(stack), T.table).state["name"];
      const common = { POWERTOOLS_SERVICE_NAME: "batch-ingest", POWERTOOLS_LOG_LEVEL: configs[stack].logLevel };
      const expected = {
        validate: { ...common, MAX_FILE_BYTES: String(configs[stack].maxFileBytes) },
        transform: common,
        load: { ...common, TABLE_NAME: tableName },
        report: { ...common, RELEASE_VERSION: runs[stack].outputs["version"] },
      };
      for (const handler of HANDLER_NAMES) {
        assert.deepEqual(one(res(stack), T.fn, `${handler}-function`).inputs["environment"], { variables: expected[handler] }, `${stack}: ${handler}`);
      }
    }
  });

});
