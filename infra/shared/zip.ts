import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { DIST_DIR, type HandlerName, REPO_ROOT, readManifest, sha256Hex } from "./bundling";

/**
 * Deterministic zip archives of the handler bundles, so that the base64 sha256 of the zip (what
 * Lambda reports as `CodeSha256`) is a pure function of the bundle's bytes and can be computed,
 * compared and verified without AWS.
 *
 * What makes the bytes stable:
 * - entries sorted by path (bytewise), directories implied by the paths (no directory entries);
 * - every timestamp fixed at 1980-01-01 00:00, the DOS epoch, and every file mode 0644;
 * - no extra fields, no comments, no data descriptors;
 * - entries are STORED, not deflated. Deflate output depends on the zlib build (Node 20 and Node 22
 *   ship different ones, and Chromium's zlib takes SIMD paths on some CPUs), so a deflated zip made
 *   on a laptop and one made in CI could differ for the same bundle. The bundle is already minified;
 *   Lambda's limits (50 MB zipped, 250 MB unzipped) are far away.
 */

/** 1980-01-01 00:00:00 in MS-DOS date/time format: date = ((1980-1980) << 9) | (1 << 5) | 1, time = 0. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const DOS_TIME = 0;
/** `-rw-r--r--`: Lambda needs the files world-readable; nothing in a bundle is executable. */
const FILE_MODE = 0o100644;
/** "Version made by": 3 = UNIX (so the external attributes carry the mode), 20 = zip spec 2.0. */
const MADE_BY = (3 << 8) | 20;
const VERSION_NEEDED = 20;
/** General purpose flag bit 11: file names are UTF-8. */
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const MAX_32 = 0xffffffff;

interface Entry {
  readonly path: string;
  readonly data: Buffer;
}

/** Every regular file under `dir`, as paths relative to `dir` with `/` separators, sorted bytewise. */
function collectFiles(dir: string): Entry[] {
  const entries: Entry[] = [];
  const walk = (current: string): void => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) {
        throw new Error(`${relative(REPO_ROOT, full)} is a symbolic link: bundles must hold regular files only (rebuild with \`npm run build\`)`);
      }
      if (stat.isDirectory()) walk(full);
      else if (stat.isFile()) entries.push({ path: relative(dir, full).split("\\").join("/"), data: readFileSync(full) });
    }
  };
  walk(dir);
  return entries.sort((a, b) => Buffer.compare(Buffer.from(a.path, "utf8"), Buffer.from(b.path, "utf8")));
}

function localHeader(name: Buffer, entry: Entry, crc: number): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(FLAG_UTF8, 6);
  header.writeUInt16LE(METHOD_STORED, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(crc, 14);
  header.writeUInt32LE(entry.data.length, 18);
  header.writeUInt32LE(entry.data.length, 22);
  header.writeUInt16LE(name.length, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, name]);
}

function centralHeader(name: Buffer, entry: Entry, crc: number, offset: number): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(MADE_BY, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(FLAG_UTF8, 8);
  header.writeUInt16LE(METHOD_STORED, 10);
  header.writeUInt16LE(DOS_TIME, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(crc, 16);
  header.writeUInt32LE(entry.data.length, 20);
  header.writeUInt32LE(entry.data.length, 24);
  header.writeUInt16LE(name.length, 28);
  header.writeUInt16LE(0, 30); // extra field length
  header.writeUInt16LE(0, 32); // comment length
  header.writeUInt16LE(0, 34); // disk number
  header.writeUInt16LE(0, 36); // internal attributes
  header.writeUInt32LE((FILE_MODE << 16) >>> 0, 38);
  header.writeUInt32LE(offset, 42);
  return Buffer.concat([header, name]);
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return end;
}

/** Zips every file under `dir` into a deterministic archive: same files, same bytes, on any machine. */
export function zipDirectory(dir: string): Buffer {
  if (!existsSync(dir) || !lstatSync(dir).isDirectory()) {
    throw new Error(`${dir} is not a directory: run \`npm run build\` to bundle the handlers first`);
  }
  const entries = collectFiles(dir);
  if (entries.length === 0) {
    throw new Error(`${dir} is empty: run \`npm run build\` to bundle the handlers first`);
  }
  if (entries.length > 0xffff) {
    throw new Error(`${dir} holds ${entries.length} files; a zip without zip64 holds at most 65535`);
  }
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.path, "utf8");
    const crc = crc32(entry.data) >>> 0;
    const header = localHeader(name, entry, crc);
    centrals.push(centralHeader(name, entry, crc, offset));
    locals.push(header, entry.data);
    offset += header.length + entry.data.length;
    if (offset > MAX_32) {
      throw new Error(`${dir} is larger than 4 GiB, which a zip without zip64 cannot hold (and Lambda would refuse anyway)`);
    }
  }
  const central = Buffer.concat(centrals);
  return Buffer.concat([...locals, central, endOfCentralDirectory(entries.length, central.length, offset)]);
}

/** Base64 of the sha256 of the zip: exactly what Lambda reports as the function's `CodeSha256`. */
export function codeSha256(zip: Buffer): string {
  return createHash("sha256").update(zip).digest("base64");
}

export interface BundleZip {
  /** Absolute path of the written zip: `<distDir>/lambdas/<name>.zip`. */
  readonly path: string;
  /** Base64 sha256 of the zip, as Lambda reports it in `CodeSha256`. */
  readonly codeSha256: string;
  /** Hex sha256 of the bundle's `index.js`, as `npm run build` records it in the manifest. */
  readonly bundleSha256: string;
}

/**
 * Writes `<distDir>/lambdas/<name>.zip` from the `<distDir>/lambdas/<name>/` bundle of `npm run build`.
 * Fails when the build is missing, or when `index.js` no longer matches the manifest (a bundle
 * edited or rebuilt by hand), so what deploys is always what the build recorded.
 */
export function bundleZip(name: HandlerName, distDir: string = DIST_DIR): BundleZip {
  const manifest = readManifest(join(distDir, "manifest.json"));
  const dir = join(distDir, "lambdas", name);
  const entry = join(dir, manifest.bundles[name].file);
  if (!existsSync(entry)) {
    throw new Error(`${relative(REPO_ROOT, entry)} is missing: run \`npm run build\` to bundle the handlers first`);
  }
  const bundleSha256 = sha256Hex(readFileSync(entry));
  if (bundleSha256 !== manifest.bundles[name].sha256) {
    throw new Error(
      `${relative(REPO_ROOT, entry)} has sha256 ${bundleSha256} but the manifest records ${manifest.bundles[name].sha256}: run \`npm run build\` again`,
    );
  }
  const zip = zipDirectory(dir);
  const path = join(distDir, "lambdas", `${name}.zip`);
  writeFileSync(path, zip);
  return { path, codeSha256: codeSha256(zip), bundleSha256 };
}

/**
 * Environment variable naming another `dist/` folder for the program to deploy from, for CI jobs
 * that build elsewhere and for the tests' stand-in bundles. Unset: the repository's `dist/`.
 */
export const DIST_DIR_ENV = "BATCH_INGEST_DIST_DIR";

export function resolveDistDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env[DIST_DIR_ENV];
  return dir === undefined || dir.trim() === "" ? DIST_DIR : resolve(REPO_ROOT, dir);
}
