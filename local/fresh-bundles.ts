import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildBundles, HANDLER_NAMES, MANIFEST_PATH, readManifest, REPO_ROOT } from "../infra/shared/bundling";

/** Sources the bundles are built from: the handlers and the shared infrastructure modules they import. */
const SOURCE_DIRS = [join(REPO_ROOT, "lambdas"), join(REPO_ROOT, "infra", "shared")];

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function manifestMtime(): number {
  try {
    const manifest = readManifest();
    for (const name of HANDLER_NAMES) statSync(join(REPO_ROOT, manifest.bundles[name].dir, manifest.bundles[name].file));
    return statSync(MANIFEST_PATH).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Builds `dist/` unless it is newer than every handler source, so an end-to-end test run on its own
 * (`npx mocha local/e2e.test.ts`) never runs stale bundles, and `npm test` (which builds first) pays nothing.
 */
export async function ensureFreshBundles(): Promise<void> {
  const built = manifestMtime();
  if (SOURCE_DIRS.some((dir) => newestSourceMtime(dir) > built)) {
    await buildBundles();
  }
}
