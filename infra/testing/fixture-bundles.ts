import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BundleInfo, type BundleManifest, HANDLER_NAMES, type HandlerName, sha256Hex } from "../shared/bundling";

/**
 * Writes a `dist/`-shaped folder with a tiny `index.js` per handler and its `manifest.json`, so the
 * program's tests do not depend on the real handlers building. Returns the folder; pass it as
 * `runProgram(stack, { distDir })`. `extraFiles` adds files to each bundle (for the zip tests).
 */
export function writeFixtureBundles(extraFiles: Record<string, string> = {}, dir: string = mkdtempSync(join(tmpdir(), "batch-ingest-dist-"))): string {
  const bundles = {} as Record<HandlerName, BundleInfo>;
  for (const name of HANDLER_NAMES) {
    const bundleDir = join(dir, "lambdas", name);
    mkdirSync(bundleDir, { recursive: true });
    const code = `"use strict";exports.handler=async()=>({handler:${JSON.stringify(name)}});\n`;
    writeFileSync(join(bundleDir, "index.js"), code);
    for (const [path, content] of Object.entries(extraFiles)) {
      mkdirSync(join(bundleDir, path, ".."), { recursive: true });
      writeFileSync(join(bundleDir, path), content);
    }
    bundles[name] = { dir: `dist/lambdas/${name}`, file: "index.js", sha256: sha256Hex(code), bytes: Buffer.byteLength(code) };
  }
  const manifest: BundleManifest = { bundles };
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return dir;
}
