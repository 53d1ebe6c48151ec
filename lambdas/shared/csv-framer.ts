import { InvalidInputFile } from "./errors";
import { DEFAULT_LIMITS, LF, RecordBuffer, type FramingLimits, type RawRecord, type RecordFramer } from "./raw-record";

const QUOTE = 0x22;
const COMMA = 0x2c;

type State = "fieldStart" | "unquoted" | "quoted" | "quoteInQuoted";

/**
 * Cuts CSV (RFC 4180) into records, one per row, with the line each row starts on.
 *
 * Why frame before csv-parse rather than stream the whole file through it: csv-parse stops at its
 * first error, and with `skip_records_with_error` an over-long record (`max_record_size`) makes
 * v7's parse() return mid-chunk, dropping the rest of that chunk. Framing first lets each row fail
 * alone (`row_too_large`, `invalid_utf8`, `malformed_csv`) while csv-parse still does the field
 * parsing of every row: quotes, doubled quotes, embedded commas and newlines.
 *
 * The rules follow csv-parse's defaults: a quote opens a quoted field only at the start of a field;
 * inside it, `""` is a literal quote and a newline is data; a record ends at LF (CRLF too) outside
 * quotes. Scanning bytes is safe for UTF-8, whose multi-byte sequences never contain ASCII bytes.
 */
export class CsvFramer implements RecordFramer {
  private state: State = "fieldStart";
  private line = 1;
  private recordLine = 1;
  private quoteLine = 1;
  private readonly record: RecordBuffer;

  constructor(limits: FramingLimits = DEFAULT_LIMITS) {
    this.record = new RecordBuffer(limits);
  }

  push(chunk: Buffer): RawRecord[] {
    const out: RawRecord[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (this.state === "quoteInQuoted") {
        // A quote inside a quoted field: doubled means a literal quote, anything else closed the field.
        // Text after a closing quote stays in the record for csv-parse to reject as malformed.
        this.state = b === QUOTE ? "quoted" : "unquoted";
        if (b === QUOTE) continue;
      }
      if (this.state === "quoted") {
        if (b === QUOTE) this.state = "quoteInQuoted";
        else if (b === LF) this.line++;
        continue;
      }
      if (b === LF) {
        this.record.append(chunk, start, i);
        start = i + 1;
        const record = this.record.take(this.recordLine);
        if (record) out.push(record);
        this.line++;
        this.recordLine = this.line;
        this.state = "fieldStart";
      } else if (b === COMMA) {
        this.state = "fieldStart";
      } else if (b === QUOTE && this.state === "fieldStart") {
        this.state = "quoted";
        this.quoteLine = this.line;
      } else {
        this.state = "unquoted";
      }
    }
    this.record.append(chunk, start, chunk.length);
    return out;
  }

  end(): RawRecord[] {
    if (this.state === "quoted") {
      throw new InvalidInputFile(
        `line ${this.quoteLine}: a quoted field opens here and is never closed, so every row after it would be read as one field; ` +
          `close the quote, and write a quote inside a quoted field as two quotes ("")`,
      );
    }
    const record = this.record.started ? this.record.take(this.recordLine) : undefined;
    return record ? [record] : [];
  }
}
