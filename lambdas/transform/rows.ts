import { parse } from "csv-parse/sync";
import { isUtf8 } from "node:buffer";
import { InvalidInputFile } from "../shared/errors";
import { csvHeaderColumns, requireOrderColumns } from "../shared/header";
import { MAX_ROW_BYTES, RAW_PREVIEW_BYTES, type RawRecord } from "../shared/raw-record";
import { checkOrder, type Order } from "../shared/record";
import type { Problem } from "../shared/reasons";

/** What became of one row: a normalised order, or a rejection with every reason and the raw text. */
export type RowOutcome =
  | { readonly ok: true; readonly line: number; readonly order: Order; readonly record: RawRecord }
  | { readonly ok: false; readonly line: number; readonly problems: readonly Problem[]; readonly raw: string; readonly rawTruncated: boolean };

/**
 * The row's text for `rejected/`: at most `RAW_PREVIEW_BYTES`, cut on a character boundary;
 * invalid UTF-8 bytes show as U+FFFD.
 */
export function rawText(record: RawRecord): { raw: string; rawTruncated: boolean } {
  let end = Math.min(record.bytes.length, RAW_PREVIEW_BYTES);
  if (end < record.bytes.length) {
    // Back up over UTF-8 continuation bytes (10xxxxxx) so no character is cut in half.
    while (end > 0 && (record.bytes[end] & 0xc0) === 0x80) end--;
  }
  return { raw: record.bytes.subarray(0, end).toString("utf8"), rawTruncated: end < record.size };
}

export function rejectRow(record: RawRecord, problems: readonly Problem[]): RowOutcome {
  return { ok: false, line: record.line, problems, ...rawText(record) };
}

/** The checks every row goes through before its format is parsed: size, then encoding. */
function framingProblem(record: RawRecord): Problem | undefined {
  if (record.oversized) {
    return { code: "row_too_large", message: `the row is ${record.size} bytes, over the limit of ${MAX_ROW_BYTES} bytes; shorten it or drop unused columns` };
  }
  if (!isUtf8(record.bytes)) {
    return { code: "invalid_utf8", message: "the row contains bytes that are not valid UTF-8; save the file as UTF-8" };
  }
  return undefined;
}

function orderOutcome(record: RawRecord, row: Readonly<Record<string, unknown>>): RowOutcome {
  const checked = checkOrder(row);
  return checked.ok ? { ok: true, line: record.line, order: checked.order, record } : rejectRow(record, checked.problems);
}

const CSV_QUOTE_HINTS: Record<string, string> = {
  INVALID_OPENING_QUOTE: "a quote appears inside an unquoted field; quote the whole field and write the inner quote as two quotes (\"\")",
  CSV_INVALID_CLOSING_QUOTE: "text follows a closing quote; write a quote inside a quoted field as two quotes (\"\")",
};

const QUOTE = 0x22;

/**
 * The fields of one framed CSV record. A record without a double quote has nothing for a CSV
 * parser to interpret, so its fields are exactly its text split at commas (a test holds this equal
 * to csv-parse on such rows); that skips building a parser for each of the common rows. Any record
 * with a quote goes through csv-parse, one record at a time: the framer already cut the row, so a
 * bad one cannot stop the file.
 */
export function csvFields(bytes: Buffer): string[] {
  if (!bytes.includes(QUOTE)) return bytes.toString("utf8").split(",");
  const [fields] = parse(bytes, { record_delimiter: "\n", bom: false, encoding: "utf8" }) as string[][];
  return fields;
}

/** One CSV data row, mapped onto the header's column names and checked. */
export function csvRow(record: RawRecord, columns: readonly string[]): RowOutcome {
  const problem = framingProblem(record);
  if (problem) return rejectRow(record, [problem]);
  let fields: string[];
  try {
    fields = csvFields(record.bytes);
  } catch (err) {
    const code = typeof err === "object" && err !== null ? String((err as { code?: unknown }).code) : "";
    const message = CSV_QUOTE_HINTS[code] ?? `the row is not valid CSV: ${err instanceof Error ? err.message : String(err)}`;
    return rejectRow(record, [{ code: "malformed_csv", message }]);
  }
  if (fields.length !== columns.length) {
    return rejectRow(record, [
      { code: "wrong_column_count", message: `the row has ${fields.length} fields but the header has ${columns.length}; quote fields that contain commas` },
    ]);
  }
  // No prototype: a header column named "__proto__" or "constructor" is just an ignored column.
  const row: Record<string, string> = Object.create(null) as Record<string, string>;
  columns.forEach((name, i) => {
    row[name] = fields[i];
  });
  return orderOutcome(record, row);
}

/** One JSON Lines row, checked. Numbers are accepted for amount; every other field must be a string. */
export function jsonlRow(record: RawRecord): RowOutcome {
  const problem = framingProblem(record);
  if (problem) return rejectRow(record, [problem]);
  let value: unknown;
  try {
    value = JSON.parse(record.bytes.toString("utf8"));
  } catch (err) {
    return rejectRow(record, [{ code: "malformed_json", message: `the line is not valid JSON (${err instanceof Error ? err.message : String(err)}); write one JSON object per line` }]);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return rejectRow(record, [{ code: "malformed_json", message: "the line is JSON but not an object; write one order object per line" }]);
  }
  return orderOutcome(record, value as Record<string, unknown>);
}

/** CSV rows: the first record is the header, which must name every order field. */
export async function* csvRows(records: AsyncIterable<RawRecord>): AsyncGenerator<RowOutcome> {
  let columns: string[] | undefined;
  for await (const record of records) {
    if (columns === undefined) {
      columns = csvHeaderColumns(record);
      requireOrderColumns(columns, "header");
      continue;
    }
    yield csvRow(record, columns);
  }
  if (columns === undefined) {
    throw new InvalidInputFile("the file has no header row: it is empty or holds only blank lines");
  }
}

export async function* jsonlRows(records: AsyncIterable<RawRecord>): AsyncGenerator<RowOutcome> {
  for await (const record of records) yield jsonlRow(record);
}
