import { parse } from "csv-parse/sync";
import { isUtf8 } from "node:buffer";
import { InvalidInputFile } from "./errors";
import type { RawRecord } from "./raw-record";
import { ORDER_FIELDS } from "./record";

/** Column names of a CSV header row, trimmed, in file order. */
export function csvHeaderColumns(record: RawRecord): string[] {
  if (record.oversized) {
    throw new InvalidInputFile(
      `the header (line ${record.line}) is ${record.size} bytes long, over the row limit; a header of ${ORDER_FIELDS.join(",")} is far shorter: check that the file is CSV with a header row`,
    );
  }
  if (!isUtf8(record.bytes)) {
    throw new InvalidInputFile(`the header (line ${record.line}) is not valid UTF-8: save the file as UTF-8`);
  }
  let rows: string[][];
  try {
    rows = parse(record.bytes, { record_delimiter: "\n", bom: false, encoding: "utf8" }) as string[][];
  } catch (err) {
    throw new InvalidInputFile(`the header (line ${record.line}) is not valid CSV (${err instanceof Error ? err.message : String(err)}): fix its quoting`, { cause: err });
  }
  const columns = (rows[0] ?? []).map((name) => name.trim());
  for (const field of ORDER_FIELDS) {
    if (columns.filter((name) => name === field).length > 1) {
      throw new InvalidInputFile(`the header names column "${field}" more than once, so its value is ambiguous: keep one "${field}" column`);
    }
  }
  return columns;
}

/** Keys of the first JSON Lines record, which stands in for a header. */
export function jsonlFirstRecordColumns(record: RawRecord): string[] {
  const where = `the first record (line ${record.line})`;
  if (record.oversized) {
    throw new InvalidInputFile(`${where} is ${record.size} bytes long, over the row limit: check that the file is JSON Lines, one order object per line`);
  }
  if (!isUtf8(record.bytes)) {
    throw new InvalidInputFile(`${where} is not valid UTF-8: save the file as UTF-8`);
  }
  let value: unknown;
  try {
    value = JSON.parse(record.bytes.toString("utf8"));
  } catch (err) {
    throw new InvalidInputFile(`${where} is not valid JSON, so the file is not JSON Lines: write one JSON object per line`, { cause: err });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidInputFile(`${where} is JSON but not an object: write one JSON object per line, with keys ${ORDER_FIELDS.join(", ")}`);
  }
  return Object.keys(value);
}

/** Fails unless every order field is among `columns`, naming the missing ones and the ones found. */
export function requireOrderColumns(columns: readonly string[], source: "header" | "first record"): void {
  const missing = ORDER_FIELDS.filter((field) => !columns.includes(field));
  if (missing.length === 0) return;
  const noun = source === "header" ? "column" : "key";
  const found = columns.length === 0 ? "none" : columns.map((name) => JSON.stringify(name)).join(", ");
  throw new InvalidInputFile(
    `the ${source} is missing the required ${noun}${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; found: ${found}. ` +
      `Add ${missing.length > 1 ? "them" : "it"} (names are case-sensitive, any order; other ${noun}s are ignored).`,
  );
}
