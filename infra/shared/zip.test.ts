import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { writeFixtureBundles } from "../testing/fixture-bundles";
import { HANDLER_NAMES } from "./bundling";
import { bundleZip, codeSha256, zipDirectory } from "./zip";

interface UnzippedEntry {
  readonly name: string;
  readonly data: Buffer;
  readonly mode: number;
  readonly dosDate: number;
  readonly dosTime: number;
}

/** Reads a zip through its central directory, the way Lambda's unzip does, inflating deflated entries. */
function unzip(zip: Buffer): UnzippedEntry[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, "no end-of-central-directory record");
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: UnzippedEntry[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `central header ${i} has a bad signature`);
    const method = zip.readUInt16LE(at + 10);
    const dosTime = zip.readUInt16LE(at + 12);
    const dosDate = zip.readUInt16LE(at + 14);
    const compressed = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const localOffset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString("utf8");
    assert.equal(zip.readUInt32LE(localOffset), 0x04034b50, `local header of ${name} has a bad signature`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressed);
    const data = method === 8 ? inflateRawSync(raw) : Buffer.from(raw);
    assert.ok(method === 0 || method === 8, `${name} uses compression method ${method}`);
    entries.push({ name, data, mode, dosDate, dosTime });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe("deterministic handler zips", () => {
  let dist: string;
  const temporary: string[] = [];
  const tempDir = (prefix: string): string => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    temporary.push(dir);
    return dir;
  };
  const extra = { "lib/b.txt": "bee\n", "lib/a.json": '{"a":1}\n', "README.md": "readme\n" };

  before(() => {
    dist = writeFixtureBundles(extra, tempDir("zip-dist-"));
  });

  after(() => {
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  });

  it("gives identical bytes for the same files, whatever their timestamps, permissions and location", () => {
    const dir = join(dist, "lambdas", "validate");
    const first = zipDirectory(dir);
    const copy = join(tempDir("zip-copy-"), "elsewhere");
    cpSync(dir, copy, { recursive: true });
    utimesSync(join(copy, "index.js"), new Date("2031-05-06T07:08:09Z"), new Date("2031-05-06T07:08:09Z"));
    chmodSync(join(copy, "README.md"), 0o600);
    const second = zipDirectory(copy);
    assert.ok(first.equals(second), "zips of the same files differ");
    assert.equal(codeSha256(first), codeSha256(second));
  });

  it("unzips to exactly the bundle's files, sorted, dated 1980-01-01 and mode 0644", () => {
    const dir = join(dist, "lambdas", "load");
    const entries = unzip(zipDirectory(dir));
    assert.deepEqual(
      entries.map((e) => e.name),
      ["README.md", "index.js", "lib/a.json", "lib/b.txt"],
    );
    for (const entry of entries) {
      assert.ok(entry.data.equals(readFileSync(join(dir, entry.name))), `${entry.name} differs from the bundle`);
      assert.equal(entry.mode, 0o100644, `${entry.name} has mode ${entry.mode.toString(8)}`);
      assert.equal(entry.dosDate, (0 << 9) | (1 << 5) | 1, `${entry.name} is not dated 1980-01-01`);
      assert.equal(entry.dosTime, 0);
    }
  });

  it("changes the zip, and its CodeSha256, when one byte of the bundle changes", () => {
    const copy = join(tempDir("zip-edit-"), "bundle");
    cpSync(join(dist, "lambdas", "report"), copy, { recursive: true });
    const before = codeSha256(zipDirectory(copy));
    writeFileSync(join(copy, "lib/b.txt"), "bef\n");
    assert.notEqual(codeSha256(zipDirectory(copy)), before);
  });

  it("reports CodeSha256 as Lambda does: the base64 sha256 of the zip's bytes", () => {
    const cases: Array<[Buffer, string]> = [
      [Buffer.alloc(0), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],
      [Buffer.from("abc"), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="],
    ];
    for (const [bytes, expected] of cases) assert.equal(codeSha256(bytes), expected);
  });

  it("writes <dist>/lambdas/<name>.zip for every handler, with the hashes of what it wrote", () => {
    const manifest = JSON.parse(readFileSync(join(dist, "manifest.json"), "utf8")) as { bundles: Record<string, { sha256: string }> };
    for (const name of HANDLER_NAMES) {
      const zip = bundleZip(name, dist);
      assert.equal(zip.path, join(dist, "lambdas", `${name}.zip`));
      const bytes = readFileSync(zip.path);
      assert.equal(zip.codeSha256, createHash("sha256").update(bytes).digest("base64"));
      assert.equal(zip.bundleSha256, manifest.bundles[name].sha256);
      assert.ok(bytes.equals(zipDirectory(join(dist, "lambdas", name))));
    }
  });

  it("fails with how to fix it when the build is missing or edited after the build", () => {
    const empty = tempDir("zip-no-dist-");
    assert.throws(() => bundleZip("validate", empty), /manifest\.json is missing: run `npm run build`/);

    const edited = writeFixtureBundles({}, tempDir("zip-edited-"));
    writeFileSync(join(edited, "lambdas", "transform", "index.js"), "exports.handler = async () => 'edited';\n");
    assert.throws(() => bundleZip("transform", edited), /transform\/index\.js has sha256 [0-9a-f]{64} but the manifest records [0-9a-f]{64}: run `npm run build` again/);

    assert.throws(() => zipDirectory(join(empty, "nope")), /is not a directory: run `npm run build`/);
  });
});
