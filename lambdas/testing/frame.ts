import type { RawRecord, RecordFramer } from "../shared/raw-record";

/** Runs `input` through a fresh framer cut into chunks of `size` bytes (0: one chunk), as a stream would. */
export function frame(make: () => RecordFramer, input: Buffer | string, size = 0): RawRecord[] {
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input, "utf8");
  const framer = make();
  const out: RawRecord[] = [];
  const step = size === 0 ? Math.max(bytes.length, 1) : size;
  for (let i = 0; i < bytes.length; i += step) out.push(...framer.push(bytes.subarray(i, i + step)));
  out.push(...framer.end());
  return out;
}
