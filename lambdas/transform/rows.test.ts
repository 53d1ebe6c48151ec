import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { csvFields } from "./rows";

/** What csv-parse itself makes of one record. */
const byCsvParse = (text: string): string[] => (parse(Buffer.from(text), { record_delimiter: "\n", bom: false, encoding: "utf8" }) as string[][])[0];

describe("CSV fields of one framed record", () => {
  it("split a record without quotes exactly as csv-parse does, whatever it holds", () => {
    // Deterministic pseudo-random rows of the characters that matter: commas, spaces, tabs, CR,
    // empty fields, multi-byte UTF-8, and the odd characters of real order data.
    const alphabet = ["a", "Z", "0", "9", ",", ",", " ", "\t", "\r", "-", "_", ".", ":", "+", "é", "€", "😀", "'", ";", "#"];
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 2000; i++) {
      const length = 1 + Math.floor(next() * 40);
      let text = "";
      for (let j = 0; j < length; j++) text += alphabet[Math.floor(next() * alphabet.length)];
      if (text.trim() === "") continue;
      assert.deepEqual(csvFields(Buffer.from(text)), byCsvParse(text), JSON.stringify(text));
    }
  });

  const cases: Array<[string, string[]]> = [
    ["O-1,C-1,12.50,EUR,2024-05-01T10:00:00Z", ["O-1", "C-1", "12.50", "EUR", "2024-05-01T10:00:00Z"]],
    ["a,,c", ["a", "", "c"]],
    ["a,b,", ["a", "b", ""]],
    ['"a,b",c', ["a,b", "c"]],
    ['"say ""hi""",x', ['say "hi"', "x"]],
    ['"line1\nline2",y', ["line1\nline2", "y"]],
  ];
  for (const [text, fields] of cases) {
    it(`reads ${JSON.stringify(text)} as ${JSON.stringify(fields)}`, () => {
      assert.deepEqual(csvFields(Buffer.from(text)), fields);
    });
  }

  it("leaves a stray quote to csv-parse, which refuses it", () => {
    assert.throws(() => csvFields(Buffer.from('ab"c,d')), { code: "INVALID_OPENING_QUOTE" });
  });
});
