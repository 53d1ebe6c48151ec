/**
 * Framing: cutting a byte stream into records before anything parses them. Both framers are
 * bounded: a record longer than `maxRecordBytes` is skipped to its end without being buffered,
 * keeping only a short preview, so a 10 MB line costs 64 KiB of memory, not 10 MB.
 */

/** Longest row the parsers hold in memory; longer rows are rejected with `row_too_large`. */
export const MAX_ROW_BYTES = 64 * 1024;
/** How much of a rejected row's text `rejected/<jobId>.jsonl` keeps. */
export const RAW_PREVIEW_BYTES = 2 * 1024;

export interface FramingLimits {
  readonly maxRecordBytes: number;
  readonly previewBytes: number;
}

export const DEFAULT_LIMITS: FramingLimits = { maxRecordBytes: MAX_ROW_BYTES, previewBytes: RAW_PREVIEW_BYTES };

export interface RawRecord {
  /** 1-based physical line on which the record starts (a quoted CSV field can span lines). */
  readonly line: number;
  /** The record without its line terminator; for an oversized record only its first `previewBytes`. */
  readonly bytes: Buffer;
  /** Full size of the record in bytes, without its line terminator. */
  readonly size: number;
  readonly oversized: boolean;
}

/** Cuts a byte stream into records. `push` and `end` return the records completed so far. */
export interface RecordFramer {
  push(chunk: Buffer): RawRecord[];
  end(): RawRecord[];
}

export const LF = 0x0a;
export const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Collects the bytes of the current record, up to the size limit, across chunk boundaries. */
export class RecordBuffer {
  private parts: Buffer[] = [];
  private kept = 0;
  private size = 0;
  private blank = true;

  constructor(private readonly limits: FramingLimits) {}

  /** Appends `chunk[start, end)` to the current record. */
  append(chunk: Buffer, start: number, end: number): void {
    if (end <= start) return;
    if (this.blank) {
      for (let i = start; i < end && this.blank; i++) {
        const b = chunk[i];
        if (b !== SPACE && b !== TAB && b !== CR) this.blank = false;
      }
    }
    this.size += end - start;
    const room = (this.size > this.limits.maxRecordBytes ? this.limits.previewBytes : this.limits.maxRecordBytes) - this.kept;
    if (room <= 0) return;
    // Copy, so a kept slice never pins the whole chunk it came from.
    const part = Buffer.from(chunk.subarray(start, Math.min(end, start + room)));
    this.parts.push(part);
    this.kept += part.length;
  }

  get started(): boolean {
    return this.size > 0;
  }

  /**
   * Finishes the record: undefined for a blank line (only spaces, tabs or CR), which is skipped
   * and not counted. A CR before the LF is part of the line terminator, not the record.
   */
  take(line: number): RawRecord | undefined {
    const blank = this.blank;
    let size = this.size;
    const oversized = size > this.limits.maxRecordBytes;
    let bytes = Buffer.concat(this.parts);
    this.parts = [];
    this.kept = 0;
    this.size = 0;
    this.blank = true;
    if (blank && !oversized) return undefined;
    if (!oversized && bytes.length > 0 && bytes[bytes.length - 1] === CR) {
      bytes = bytes.subarray(0, bytes.length - 1);
      size -= 1;
    }
    if (oversized && bytes.length > this.limits.previewBytes) bytes = bytes.subarray(0, this.limits.previewBytes);
    return { line, bytes, size, oversized };
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The bytes without a leading UTF-8 byte order mark. */
export function stripBom(bytes: Buffer): Buffer {
  return bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
}

/** Feeds a byte stream through a framer, dropping a leading UTF-8 BOM, and yields the records. */
export async function* frameRecords(source: AsyncIterable<Uint8Array>, framer: RecordFramer): AsyncGenerator<RawRecord> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const piece of source) {
    let chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
    if (head !== undefined) {
      // The BOM can straddle chunks: hold bytes back until there are 3 to look at.
      head = Buffer.concat([head, chunk]);
      if (head.length < BOM.length) continue;
      chunk = stripBom(head);
      head = undefined;
    }
    yield* framer.push(chunk);
  }
  if (head !== undefined && head.length > 0) yield* framer.push(stripBom(head));
  yield* framer.end();
}
