import { DEFAULT_LIMITS, LF, RecordBuffer, type FramingLimits, type RawRecord, type RecordFramer } from "./raw-record";

/**
 * Cuts JSON Lines (and `processed/*.jsonl`) into lines at LF, with CRLF accepted. Bounded like the
 * CSV framer: a line over the limit is skipped to its end and comes out `oversized` with a preview.
 */
export class LineFramer implements RecordFramer {
  private line = 1;
  private readonly record: RecordBuffer;

  constructor(limits: FramingLimits = DEFAULT_LIMITS) {
    this.record = new RecordBuffer(limits);
  }

  push(chunk: Buffer): RawRecord[] {
    const out: RawRecord[] = [];
    let start = 0;
    for (let i = chunk.indexOf(LF, start); i !== -1; i = chunk.indexOf(LF, start)) {
      this.record.append(chunk, start, i);
      const record = this.record.take(this.line);
      if (record) out.push(record);
      this.line++;
      start = i + 1;
    }
    this.record.append(chunk, start, chunk.length);
    return out;
  }

  end(): RawRecord[] {
    const record = this.record.started ? this.record.take(this.line) : undefined;
    return record ? [record] : [];
  }
}
