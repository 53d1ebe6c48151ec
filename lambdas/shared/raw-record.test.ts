import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { LineFramer } from "./line-framer";
import { frameRecords, stripBom } from "./raw-record";

async function collect(chunks: Buffer[]): Promise<string[]> {
  const out: string[] = [];
  for await (const record of frameRecords(Readable.from(chunks), new LineFramer())) out.push(record.bytes.toString());
  return out;
}

describe("frameRecords", () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const body = Buffer.from("h1,h2\nv1,v2\n");
  const cases: Array<[string, Buffer[]]> = [
    ["in the first chunk", [Buffer.concat([bom, body])]],
    ["split across chunks", [bom.subarray(0, 1), bom.subarray(1, 2), Buffer.concat([bom.subarray(2), body])]],
  ];
  for (const [name, chunks] of cases) {
    it(`drops a UTF-8 byte order mark ${name}`, async () => {
      assert.deepEqual(await collect(chunks), ["h1,h2", "v1,v2"]);
    });
  }

  it("yields nothing for a file that is only a BOM", async () => {
    assert.deepEqual(await collect([bom]), []);
  });

  it("keeps a file that does not start with a BOM byte for byte", async () => {
    assert.deepEqual(await collect([Buffer.from("a"), Buffer.from("b\nc")]), ["ab", "c"]);
  });

  it("stripBom leaves a BOM that is not at the start", () => {
    const text = Buffer.concat([Buffer.from("x"), bom]);
    assert.equal(stripBom(text), text);
  });
});
