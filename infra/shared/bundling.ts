import { build, type BuildOptions } from "esbuild";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** The four handlers, in workflow order. Each lives in `lambdas/<name>/index.ts` and exports `handler`. */
export const HANDLER_NAMES = ["validate", "transform", "load", "report"] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

export const REPO_ROOT = resolve(__dirname, "..", "..");
export const DIST_DIR = join(REPO_ROOT, "dist");
export const MANIFEST_PATH = join(DIST_DIR, "manifest.json");

/** What `npm run build` writes to `dist/manifest.json`; the Pulumi program, the local runtime and deploys read it. */
export interface BundleManifest {
  readonly bundles: Record<HandlerName, BundleInfo>;
}

export interface BundleInfo {
  /** Folder of the bundle, relative to the repository root: `dist/lambdas/<name>`. */
  readonly dir: string;
  /** The bundle file inside `dir`; Lambda's handler setting is `index.handler`. */
  readonly file: "index.js";
  /** Hex sha256 of `index.js`. */
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * The esbuild options of every handler, as one object so the tests can assert them.
 * - `platform: node`, `target: node22`, `format: cjs`: the Lambda runtime is nodejs22.x, and the
 *   local runtime on Node 20 requires the same file.
 * - Everything is bundled, the AWS SDK included: the SDK that the runtime preinstalls changes
 *   without notice, and the local runtime must run the exact bytes that deploy.
 * - No sourcemap, no metafile, no timestamps, `absWorkingDir` fixed to the repository and
 *   `legalComments: "eof"`: identical sources give identical bytes on any machine.
 * - `minify` keeps cold starts short (measured by `npm run bench`). `keepNames` stays off: its
 *   `__name` helper runs for every closure created at run time, which cost transform about a third
 *   of its time per row. Error names that Step Functions matches are set explicitly in the handlers.
 */
export function esbuildOptions(name: HandlerName, outDir: string = DIST_DIR): BuildOptions & { outfile: string } {
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [join("lambdas", name, "index.ts")],
    outfile: join(outDir, "lambdas", name, "index.js"),
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    keepNames: false,
    sourcemap: false,
    metafile: false,
    legalComments: "eof",
    charset: "utf8",
    logLevel: "warning",
    mainFields: ["module", "main"],
  };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

export interface BuildBundlesOptions {
  /** Where `lambdas/<name>/` and `manifest.json` go; default `dist/`. Tests build elsewhere to compare. */
  readonly outDir?: string;
}

/** Bundles every handler into `<outDir>/lambdas/<name>/index.js` and writes `<outDir>/manifest.json`. */
export async function buildBundles(options: BuildBundlesOptions = {}): Promise<BundleManifest> {
  const outDir = options.outDir ?? DIST_DIR;
  const bundles = {} as Record<HandlerName, BundleInfo>;
  // One at a time: parallel builds save little here and would interleave esbuild's warnings.
  for (const name of HANDLER_NAMES) {
    const buildOptions = esbuildOptions(name, outDir);
    rmSync(join(outDir, "lambdas", name), { recursive: true, force: true });
    await build(buildOptions);
    const code = readFileSync(buildOptions.outfile);
    bundles[name] = {
      dir: relative(REPO_ROOT, join(outDir, "lambdas", name)).split("\\").join("/"),
      file: "index.js",
      sha256: sha256Hex(code),
      bytes: code.length,
    };
  }
  const manifest: BundleManifest = { bundles };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/** Reads `dist/manifest.json`, with an error that says how to produce it when it is missing. */
export function readManifest(path: string = MANIFEST_PATH): BundleManifest {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`${relative(REPO_ROOT, path)} is missing: run \`npm run build\` to bundle the handlers first`);
  }
  const manifest = JSON.parse(text) as BundleManifest;
  for (const name of HANDLER_NAMES) {
    if (!manifest.bundles?.[name]) {
      throw new Error(`${relative(REPO_ROOT, path)} has no bundle "${name}": run \`npm run build\` again`);
    }
  }
  return manifest;
}
