import { buildBundles } from "../infra/shared/bundling";

buildBundles().then(
  (manifest) => {
    for (const [name, info] of Object.entries(manifest.bundles)) {
      console.log(`${name.padEnd(10)} ${info.dir}/${info.file}  ${(info.bytes / 1024).toFixed(1)} KiB  sha256 ${info.sha256}`);
    }
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
