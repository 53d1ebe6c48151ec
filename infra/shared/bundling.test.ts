import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBundles, esbuildOptions, HANDLER_NAMES, readManifest, REPO_ROOT, sha256Hex, type BundleManifest } from "./bundling";

describe("handler bundling", () => {
  it("bundles every handler for Node 22 as CommonJS, with everything inside and nothing machine-specific", () => {
    for (const name of HANDLER_NAMES) {
      const options = esbuildOptions(name, "/out");
      assert.deepEqual(
        {
          entryPoints: options.entryPoints,
          outfile: options.outfile,
          bundle: options.bundle,
          platform: options.platform,
          target: options.target,
          format: options.format,
          sourcemap: options.sourcemap,
          metafile: options.metafile,
          keepNames: options.keepNames,
          external: options.external,
          absWorkingDir: options.absWorkingDir,
        },
        {
          entryPoints: [join("lambdas", name, "index.ts")],
          outfile: join("/out", "lambdas", name, "index.js"),
          bundle: true,
          platform: "node",
          target: "node22",
          format: "cjs",
          sourcemap: false,
          metafile: false,
          keepNames: false,
          external: undefined,
          absWorkingDir: REPO_ROOT,
        },
      );
    }
  });

  describe("two builds of the same sources", () => {
    const dirs: string[] = [];
    const manifests: BundleManifest[] = [];
    before(async function () {
      this.timeout(120_000);
      for (let i = 0; i < 2; i++) {
        const outDir = mkdtempSync(join(tmpdir(), "batch-ingest-build-"));
        dirs.push(outDir);
        manifests.push(await buildBundles({ outDir }));
      }
    });
    after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

    it("give identical bytes, whatever the output folder", () => {
      for (const name of HANDLER_NAMES) {
        const a = readFileSync(join(dirs[0], "lambdas", name, "index.js"));
        const b = readFileSync(join(dirs[1], "lambdas", name, "index.js"));
        assert.ok(a.equals(b), `${name} differs between builds`);
        assert.equal(manifests[0].bundles[name].sha256, manifests[1].bundles[name].sha256);
      }
    });

    it("record each bundle's sha256 and size in the manifest", () => {
      const manifest = readManifest(join(dirs[0], "manifest.json"));
      for (const name of HANDLER_NAMES) {
        const code = readFileSync(join(dirs[0], "lambdas", name, "index.js"));
        assert.equal(manifest.bundles[name].sha256, sha256Hex(code));
        assert.equal(manifest.bundles[name].bytes, code.length);
        assert.equal(manifest.bundles[name].file, "index.js");
      }
    });

    it("produce bundles that load in plain Node and export a handler function", () => {
      for (const name of HANDLER_NAMES) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(join(dirs[0], "lambdas", name, "index.js")) as { handler?: unknown };
        assert.equal(typeof mod.handler, "function", name);
      }
    });
  });

  it("explains how to produce a missing manifest", () => {
    assert.throws(() => readManifest(join(tmpdir(), "no-such-dir", "manifest.json")), /run `npm run build`/);
  });
});
