import assert from "node:assert/strict";
import { CsvFramer } from "./csv-framer";
import { ERROR_NAMES } from "./contracts";
import type { RawRecord } from "./raw-record";
import { frame } from "../testing/frame";

const summary = (records: RawRecord[]) => records.map((r) => [r.line, r.bytes.toString("utf8")]);

const CASES: ReadonlyArray<{ name: string; input: string; records: Array<[number, string]> }> = [
  { name: "splits rows at LF", input: "a,b\nc,d\n", records: [[1, "a,b"], [2, "c,d"]] },
  { name: "keeps the last row without a final newline", input: "a,b\nc,d", records: [[1, "a,b"], [2, "c,d"]] },
  { name: "drops the CR of CRLF", input: "a,b\r\nc,d\r\n", records: [[1, "a,b"], [2, "c,d"]] },
  { name: "skips blank and whitespace-only lines without counting them as rows", input: "a\n\n  \r\n\t\nb\n\n", records: [[1, "a"], [5, "b"]] },
  { name: "keeps a newline inside quotes in the row and reports the line the row starts on", input: 'h\n"x\ny",z\nnext\n', records: [[1, "h"], [2, '"x\ny",z'], [4, "next"]] },
  { name: "keeps CRLF inside quotes", input: '"a\r\nb"\r\nc\r\n', records: [[1, '"a\r\nb"'], [3, "c"]] },
  { name: "treats doubled quotes as a literal quote, not the end of the field", input: '"say ""hi""\n",x\ny\n', records: [[1, '"say ""hi""\n",x'], [3, "y"]] },
  { name: "treats a quote in the middle of an unquoted field as data", input: 'a,b"c\nd\n', records: [[1, 'a,b"c'], [2, "d"]] },
  { name: "ends the row after text that follows a closing quote", input: '"a"b\nc\n', records: [[1, '"a"b'], [2, "c"]] },
  { name: "handles an empty quoted field at the end of the file", input: 'a,""', records: [[1, 'a,""']] },
  { name: "keeps rows that are only commas", input: ",,\n", records: [[1, ",,"]] },
  { name: "keeps multi-byte UTF-8 intact", input: "é,ü\n€,x\n", records: [[1, "é,ü"], [2, "€,x"]] },
];

describe("CsvFramer", () => {
  for (const c of CASES) {
    for (const size of [0, 1, 2, 3]) {
      it(`${c.name} (${size === 0 ? "one chunk" : `${size}-byte chunks`})`, () => {
        assert.deepEqual(summary(frame(() => new CsvFramer(), c.input, size)), c.records);
      });
    }
  }

  it("fails the file on an unterminated quote, naming the line where the quote opened", () => {
    for (const size of [0, 1]) {
      assert.throws(
        () => frame(() => new CsvFramer(), 'h\nok,1\n"open,2\nmore\nrows\n', size),
        (err: Error) => err.name === ERROR_NAMES.invalidInputFile && /^line 3: a quoted field opens here and is never closed/.test(err.message),
      );
    }
  });

  it("skips an oversized row to its end with a bounded preview and keeps framing after it", () => {
    const limits = { maxRecordBytes: 10, previewBytes: 4 };
    const big = `"${"x".repeat(30)}\n${"y".repeat(30)}",z`;
    for (const size of [0, 1, 7]) {
      const records = frame(() => new CsvFramer(limits), `a,b\n${big}\nc,d\n`, size);
      assert.deepEqual(
        records.map((r) => [r.line, r.bytes.toString(), r.size, r.oversized]),
        [
          [1, "a,b", 3, false],
          [2, '"xxx', big.length, true],
          [4, "c,d", 3, false],
        ],
      );
    }
  });

  it("accepts a row of exactly the size limit", () => {
    const [record] = frame(() => new CsvFramer({ maxRecordBytes: 5, previewBytes: 2 }), "12345\n");
    assert.deepEqual([record.bytes.toString(), record.oversized], ["12345", false]);
  });

  it("keeps invalid UTF-8 bytes as they are, for the row check to reject", () => {
    const [record] = frame(() => new CsvFramer(), Buffer.from([0x61, 0xff, 0x2c, 0x62]));
    assert.deepEqual([...record.bytes], [0x61, 0xff, 0x2c, 0x62]);
  });
});
