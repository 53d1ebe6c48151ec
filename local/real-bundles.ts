import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildBundles } from "../infra/shared/bundling";

let built: Promise<string> | undefined;

/**
 * Builds the real handlers once per test process, with the esbuild options that build `dist/`, into a
 * private folder, and returns that folder (it holds `lambdas/<name>/index.js`). Tests never read
 * the shared `dist/`, which a concurrent `npm run build` may be rewriting, and never run stale bundles.
 */
export function realBundles(): Promise<string> {
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), "batch-ingest-bundles-"));
    process.once("exit", () => rmSync(outDir, { recursive: true, force: true }));
    await buildBundles({ outDir });
    return outDir;
  })();
  return built;
}
