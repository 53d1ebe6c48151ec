import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProgramError, readStackFile, runPulumiProgram, type ProgramRun } from "./harness";

const FIXTURE = join(__dirname, "fixtures", "recording-program.ts");

function run(stack: string, config: Record<string, string>): Promise<ProgramRun> {
  return runPulumiProgram({
    programPath: FIXTURE,
    stack,
    config: { "aws:region": "eu-west-1", "batch-ingest:label": "s3cr3t", ...config },
    secretKeys: ["batch-ingest:label"],
  });
}

async function rejection(promise: Promise<unknown>): Promise<ProgramError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ProgramError, `expected a ProgramError, got ${String(err)}`);
    return err;
  }
  assert.fail("the run succeeded but should have failed");
}

describe("the offline program harness", () => {
  afterEach(() => {
    delete process.env["FIXTURE_FAIL_IN_APPLY"];
  });

  it("records every resource with its inputs, mocked state, parent and options, and resolves the outputs", async () => {
    const { resources, outputs } = await run("qa", { "batch-ingest:size": "7" });
    assert.deepEqual(
      resources.map((r) => `${r.type} ${r.name}`),
      ["pulumi:pulumi:Stack batch-ingest-qa", "batch-ingest:testing:Box box", "aws:s3/bucket:Bucket box-bucket", "aws:dynamodb/table:Table table"],
    );
    const bucket = resources.find((r) => r.name === "box-bucket");
    const box = resources.find((r) => r.name === "box");
    assert.ok(bucket && box);
    assert.equal(bucket.parent, box.urn);
    assert.equal(box.urn, "urn:pulumi:qa::batch-ingest::pulumi:pulumi:Stack$batch-ingest:testing:Box::box");
    assert.equal(bucket.options.protect, true);
    assert.equal(box.custom, false);
    assert.deepEqual(bucket.inputs["tags"], { Size: "7" });
    assert.match(String(bucket.state["bucket"]), /^box-\d{26}$/);
    assert.equal(bucket.state["arn"], `arn:aws:s3:::${String(bucket.state["bucket"])}`);
    assert.equal(outputs["stack"], "qa");
    assert.deepEqual(outputs["names"], { bucket: bucket.state["bucket"], table: resources.find((r) => r.name === "table")?.state["name"] });
    assert.equal(outputs["secretLabel"], "s3cr3t");
  });

  it("runs stacks one after another in one process, each with its own config", async () => {
    const dev = await run("dev", { "batch-ingest:size": "2" });
    const prod = await run("prod", { "batch-ingest:size": "9" });
    assert.equal(dev.outputs["stack"], "dev");
    assert.equal(prod.outputs["stack"], "prod");
    assert.equal(dev.resources.find((r) => r.name === "box-bucket")?.options.protect, false);
    assert.equal(prod.resources.find((r) => r.name === "box-bucket")?.options.protect, true);
    assert.ok(prod.resources.every((r) => r.urn.startsWith("urn:pulumi:prod::")));
  });

  it("rejects with the program's own message when it throws before registering anything", async () => {
    const err = await rejection(run("prod", { "batch-ingest:size": "11" }));
    assert.equal(err.message, 'Stack "prod": batch-ingest:size is 11; allowed: 1 to 10');
    assert.deepEqual(
      err.resources.map((r) => r.type),
      ["pulumi:pulumi:Stack"],
    );
  });

  it("rejects with the message of an error thrown inside an apply that feeds a resource, and the next run still works", async () => {
    process.env["FIXTURE_FAIL_IN_APPLY"] = "1";
    const err = await rejection(run("dev", { "batch-ingest:size": "3" }));
    assert.match(err.message, /definition is invalid: MISSING_TRANSITION_TARGET \(arn:aws:s3:::box-\d+\)/);
    delete process.env["FIXTURE_FAIL_IN_APPLY"];
    const again = await run("dev", { "batch-ingest:size": "3" });
    assert.equal(again.outputs["stack"], "dev");
  });

  it("reads a stack file as the CLI passes it: namespaced keys, every value a string, objects as JSON", () => {
    const root = mkdtempSync(join(tmpdir(), "stack-file-"));
    try {
      writeFileSync(
        join(root, "Pulumi.demo.yaml"),
        [
          "config:",
          "  aws:region: eu-west-1",
          "  batch-ingest:memoryMb: 512",
          "  batch-ingest:verbose: true",
          "  plainKey: hello",
          "  batch-ingest:timeouts:",
          "    validate: 60",
          "  batch-ingest:alarmEmail:",
          "    secure: v1:abc",
          "",
        ].join("\n"),
      );
      const file = readStackFile("demo", root);
      assert.deepEqual(file.config, {
        "aws:region": "eu-west-1",
        "batch-ingest:memoryMb": "512",
        "batch-ingest:verbose": "true",
        "batch-ingest:plainKey": "hello",
        "batch-ingest:timeouts": '{"validate":60}',
      });
      assert.deepEqual(file.secureKeys, ["batch-ingest:alarmEmail"]);
      assert.throws(() => readStackFile("nope", root), /Pulumi\.nope\.yaml is missing: stacks are dev, qa, prod/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
