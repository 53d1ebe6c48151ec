import type { FileFormat } from "../shared/contracts";
import { CsvFramer } from "../shared/csv-framer";
import { InvalidInputFile } from "../shared/errors";
import { csvHeaderColumns, jsonlFirstRecordColumns, requireOrderColumns } from "../shared/header";
import { LineFramer } from "../shared/line-framer";
import { stripBom, type RawRecord, type RecordFramer } from "../shared/raw-record";
import { ORDER_FIELDS } from "../shared/record";

/** How much of the object validate reads (one Range GET): enough for any sane header. */
export const SNIFF_BYTES = 64 * 1024;
/** Text files never contain NUL; binary files nearly always do within their first KiB. */
export const BINARY_CHECK_BYTES = 1024;

/** Signatures of binary formats people upload by mistake, so the error can say what the file is. */
const SIGNATURES: ReadonlyArray<{ bytes: readonly number[]; what: string; fix: string }> = [
  { bytes: [0x1f, 0x8b], what: "a gzip archive", fix: "decompress it and upload the .csv or .jsonl inside" },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: "a zip archive (or an Excel .xlsx workbook)", fix: "extract it, or export the sheet as CSV (UTF-8)" },
  { bytes: [0x50, 0x41, 0x52, 0x31], what: "a Parquet file", fix: "export it as CSV or JSON Lines" },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: "a PDF document", fix: "export the data as CSV or JSON Lines" },
  { bytes: [0xff, 0xfe], what: "UTF-16 text", fix: "save it as UTF-8" },
  { bytes: [0xfe, 0xff], what: "UTF-16 text", fix: "save it as UTF-8" },
];

/** Fails when the first bytes show a binary file rather than UTF-8 text. */
export function rejectBinary(head: Buffer): void {
  for (const signature of SIGNATURES) {
    if (signature.bytes.every((byte, i) => head[i] === byte)) {
      throw new InvalidInputFile(`the file is ${signature.what}, not CSV or JSON Lines text: ${signature.fix}`);
    }
  }
  const nul = head.subarray(0, BINARY_CHECK_BYTES).indexOf(0);
  if (nul !== -1) {
    throw new InvalidInputFile(`the file is binary, not text: byte ${nul} is NUL (0x00); upload CSV or JSON Lines saved as UTF-8`);
  }
}

/**
 * The format, by extension first (`.csv`; `.jsonl` or `.ndjson`, any case), then by content: a
 * first non-blank character `{` means JSON Lines, a comma in the first line means CSV.
 */
export function decideFormat(key: string, head: Buffer): FileFormat {
  const lower = key.toLowerCase();
  if (lower.endsWith(".csv")) return "csv";
  if (lower.endsWith(".jsonl") || lower.endsWith(".ndjson")) return "jsonl";
  const text = stripBom(head).toString("utf8").trimStart();
  if (text.startsWith("{")) return "jsonl";
  const firstLine = text.split("\n", 1)[0] ?? "";
  if (firstLine.includes(",")) return "csv";
  throw new InvalidInputFile(
    `cannot tell whether "${key}" is CSV or JSON Lines: its name has no .csv, .jsonl or .ndjson extension and its first line is neither a JSON object nor comma-separated; rename it with the right extension`,
  );
}

/**
 * Reads the header (CSV) or the first record's keys (JSON Lines) from the first bytes of the file
 * and checks that every required column is there. `complete` says `head` is the whole file.
 */
export function readColumns(format: FileFormat, head: Buffer, complete: boolean): string[] {
  const framer: RecordFramer = format === "csv" ? new CsvFramer({ maxRecordBytes: SNIFF_BYTES, previewBytes: 0 }) : new LineFramer({ maxRecordBytes: SNIFF_BYTES, previewBytes: 0 });
  const records: RawRecord[] = framer.push(stripBom(head));
  if (records.length === 0 && complete) records.push(...framer.end());
  const first = records[0];
  if (first === undefined) {
    const what = format === "csv" ? "header row" : "first record";
    throw new InvalidInputFile(
      complete
        ? `the file has no ${what}: it holds only blank lines; add a ${what} with ${ORDER_FIELDS.join(", ")}`
        : `the ${what} does not end within the first ${SNIFF_BYTES} bytes: check that the file is ${format === "csv" ? "CSV with a header row" : "JSON Lines, one object per line"}`,
    );
  }
  const columns = format === "csv" ? csvHeaderColumns(first) : jsonlFirstRecordColumns(first);
  requireOrderColumns(columns, format === "csv" ? "header" : "first record");
  return columns;
}
