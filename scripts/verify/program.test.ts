import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { writeFixtureBundles } from "../../infra/testing/fixture-bundles";
import { runProgram, STACKS } from "../../infra/testing/harness";
import { type ExpectedStack, readExpectedStack } from "./expected";
import { mockAws, REGION, worldFromProgram, type World } from "./fake-aws";
import { verifyStack } from "./verify-stack";

/**
 * The verifier against the real Pulumi program: a stack deployed exactly as the program declares it
 * (the program run offline, its resources answered back by the fake AWS) must verify clean, and
 * taking one resource away must not. This is what ties the verifier's inventory, code hashes and
 * definition substitution to the program's own.
 */
describe("verifying what the program itself would deploy", () => {
  let distDir: string;
  before(() => {
    distDir = writeFixtureBundles();
  });
  after(() => rmSync(distDir, { recursive: true, force: true }));

  for (const stack of STACKS) {
    describe(`stack ${stack}`, () => {
      let expected: ExpectedStack;
      let world: World;
      before(async () => {
        expected = await readExpectedStack(stack, distDir);
        world = worldFromProgram((await runProgram(stack, { distDir })).resources);
      });
      const target = { project: "batch-ingest", stack, region: REGION };

      it("verifies clean when deployed exactly as declared", async () => {
        const report = await verifyStack(mockAws(world).clients, target, async () => expected);
        assert.deepEqual(report.checks.filter((c) => !c.ok), []);
        assert.ok(report.checks.length >= 15, `${report.checks.length} checks`);
        assert.ok(report.checks.some((c) => c.check === "definition behind live (v1)" && c.ok));
      });

      it("reports the table missing when it is not deployed", async () => {
        const others = Object.fromEntries(Object.entries(world.others).filter(([arn]) => !arn.includes(":dynamodb:")));
        const report = await verifyStack(mockAws({ ...world, others }).clients, target, async () => expected);
        assert.deepEqual(
          report.checks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.deployed}`),
          ["dynamodb:table resources: 0 (1 missing)", "definition of the state machine: cannot compare: no the table deployed"],
        );
      });
    });
  }
});
