import assert from "node:assert/strict";
import { frame } from "../testing/frame";
import { LineFramer } from "./line-framer";

const CASES: ReadonlyArray<{ name: string; input: string; records: Array<[number, string]> }> = [
  { name: "splits at LF", input: '{"a":1}\n{"b":2}\n', records: [[1, '{"a":1}'], [2, '{"b":2}']] },
  { name: "accepts CRLF", input: '{"a":1}\r\n{"b":2}', records: [[1, '{"a":1}'], [2, '{"b":2}']] },
  { name: "skips blank lines but counts them for line numbers", input: "\n1\n \n\r\n2\n\n", records: [[2, "1"], [5, "2"]] },
  { name: "does not treat quotes specially", input: '"a\nb"\n', records: [[1, '"a'], [2, 'b"']] },
];

describe("LineFramer", () => {
  for (const c of CASES) {
    for (const size of [0, 1, 3]) {
      it(`${c.name} (${size === 0 ? "one chunk" : `${size}-byte chunks`})`, () => {
        assert.deepEqual(
          frame(() => new LineFramer(), c.input, size).map((r) => [r.line, r.bytes.toString()]),
          c.records,
        );
      });
    }
  }

  it("skips a line over the limit with a bounded preview and keeps reading after it", () => {
    const limits = { maxRecordBytes: 8, previewBytes: 3 };
    for (const size of [0, 1, 5]) {
      const records = frame(() => new LineFramer(limits), `ok\n${"z".repeat(100)}\nafter\n`, size);
      assert.deepEqual(
        records.map((r) => [r.line, r.bytes.toString(), r.size, r.oversized]),
        [
          [1, "ok", 2, false],
          [2, "zzz", 100, true],
          [3, "after", 5, false],
        ],
      );
    }
  });
});
