import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { HANDLER_NAMES, REPO_ROOT, type BundleManifest, type HandlerName } from "../infra/shared/bundling";
import { emulatorEnv } from "./emulators";

export interface BundleMeasure {
  readonly name: HandlerName;
  readonly bytes: number;
  /** Median wall time of `node -e "require(bundle)"` minus the median of `node -e 0`. */
  readonly requireMs: number;
}

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`node ${args.join(" ")} exited with ${result.status}: ${result.stderr.toString().trim().split("\n").at(-1)}`);
  }
  return ms;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Size of each bundle and what requiring it costs a fresh Node process: the cold-start share the
 * bundle itself adds. Plain `node`, no loader flags, with the handlers' environment set as on Lambda.
 */
export function measureBundles(manifest: BundleManifest, runs = 5): BundleMeasure[] {
  // Unreachable endpoints: requiring a bundle must not make a call.
  const env = { ...process.env, ...emulatorEnv("http://127.0.0.1:9", "http://127.0.0.1:9", "bench") };
  const base = median(Array.from({ length: runs }, () => wallMs(["-e", "0"], env)));
  return HANDLER_NAMES.map((name) => {
    const info = manifest.bundles[name];
    const file = join(REPO_ROOT, info.dir, info.file);
    const loaded = median(Array.from({ length: runs }, () => wallMs(["-e", `require(${JSON.stringify(file)})`], env)));
    return { name, bytes: info.bytes, requireMs: Math.max(0, Math.round((loaded - base) * 10) / 10) };
  });
}
