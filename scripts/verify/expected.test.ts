import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HANDLER_NAMES } from "../../infra/shared/bundling";
import { writeFixtureBundles } from "../../infra/testing/fixture-bundles";
import { EXIT_CODES, VerifyError } from "./errors";
import { expectedCodeHashes, packageVersion, readExpectedStack, stackRegion } from "./expected";

describe("the repository side of a stack", () => {
  let distDir: string;
  beforeEach(() => {
    distDir = writeFixtureBundles();
  });
  afterEach(() => rmSync(distDir, { recursive: true, force: true }));

  it("computes each CodeSha256 as Lambda reports it: the base64 sha256 of the deployed zip", () => {
    const hashes = expectedCodeHashes(distDir);
    for (const name of HANDLER_NAMES) {
      const zip = readFileSync(join(distDir, "lambdas", `${name}.zip`));
      assert.equal(hashes[name], createHash("sha256").update(zip).digest("base64"));
      assert.match(hashes[name], /^[A-Za-z0-9+/]{43}=$/);
    }
    assert.equal(new Set(Object.values(hashes)).size, HANDLER_NAMES.length, "each handler has its own code");
  });

  it("changes every hash when the bundles change", () => {
    const before = expectedCodeHashes(distDir);
    const changed = writeFixtureBundles({ "extra.txt": "x" }, mkdtempSync(join(tmpdir(), "dist-")));
    try {
      const after = expectedCodeHashes(changed);
      for (const name of HANDLER_NAMES) assert.notEqual(after[name], before[name]);
    } finally {
      rmSync(changed, { recursive: true, force: true });
    }
  });

  it("says to run the build when the bundles are missing or edited after it", () => {
    const empty = mkdtempSync(join(tmpdir(), "dist-"));
    try {
      assert.throws(
        () => expectedCodeHashes(empty),
        (err: unknown) => err instanceof VerifyError && err.exitCode === EXIT_CODES.repository && /cannot compute the code hash of "validate": .*npm run build/.test(err.message),
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    writeFileSync(join(distDir, "lambdas", "load", "index.js"), "exports.handler = () => 'edited';\n");
    assert.throws(() => expectedCodeHashes(distDir), /cannot compute the code hash of "load": .*manifest records .*npm run build/);
  });

  it("refuses an unknown stack, naming the known ones", async () => {
    await assert.rejects(readExpectedStack("staging", distDir), (err: unknown) => err instanceof VerifyError && err.exitCode === EXIT_CODES.usage && /unknown stack "staging": pass one of dev, qa, prod/.test(err.message));
  });

  it("reads the version from package.json and the region from Pulumi.<stack>.yaml", () => {
    const root = mkdtempSync(join(tmpdir(), "repo-"));
    try {
      writeFileSync(join(root, "package.json"), JSON.stringify({ name: "x", version: "1.4.2" }));
      writeFileSync(join(root, "Pulumi.qa.yaml"), "config:\n  aws:region: eu-central-1\n  batch-ingest:memoryMb: 512\n");
      assert.equal(packageVersion(root), "1.4.2");
      assert.equal(stackRegion("qa", root), "eu-central-1");
      assert.equal(stackRegion("prod", root), undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
