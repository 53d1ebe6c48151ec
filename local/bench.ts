import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildBundles } from "../infra/shared/bundling";
import { measureBundles, type BundleMeasure } from "./bench-bundles";
import { measurePeakRss, type MemoryRun } from "./bench-memory";
import { measureThroughput, type ThroughputResult } from "./bench-throughput";
import { startEmulators } from "./emulators";
import { writeOrdersCsv } from "./orders-generator";

const USAGE = `Usage: npm run bench -- [--rows N] [--json]

Measures the local runtime: end-to-end throughput next to dynalite's own BatchWriteItem rate,
peak memory on N rows against N/10 rows (each in a fresh process), and each bundle's size and
require time. Prints a table; --json prints one JSON object as the last line of stdout.

  --rows N     rows in the large file (default 200000); e.g. --rows 2000 for a quick smoke run
  --json       machine-readable output
  -h, --help   show this help`;

/** The goals the issue sets; the bench reports against them and never fails on them. */
export const GOALS = { minThroughputRatio: 0.7, maxMemoryRatio: 1.2 } as const;

export interface BenchReport {
  readonly node: string;
  readonly rows: number;
  readonly throughput: ThroughputResult;
  readonly memory: { readonly small: MemoryRun; readonly large: MemoryRun; readonly ratio: number };
  readonly bundles: readonly BundleMeasure[];
  readonly goals: typeof GOALS;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function verdict(ok: boolean): string {
  return ok ? "meets goal" : "MISSES goal";
}

export function formatReport(report: BenchReport): string {
  const { throughput: t, memory: m } = report;
  const rows = (label: string, value: string, extra = "") => `  ${label.padEnd(26)}${value.padStart(22)}  ${extra}`.trimEnd();
  return [
    `batch-ingest bench: ${report.rows} rows, Node ${report.node}`,
    "",
    "Throughput (the execution alone; upload and bundling excluded)",
    rows(`end-to-end (${t.status})`, `${t.e2eRowsPerSec} rows/s`, `${t.rows} rows in ${(t.e2eMs / 1000).toFixed(2)} s, ${t.loaded} loaded, ${t.rejected} rejected`),
    rows(`dynalite BatchWriteItem`, `${t.baselineItemsPerSec} items/s`, `${t.baselineItems} items in ${(t.baselineMs / 1000).toFixed(2)} s, ${t.baselineConcurrency} requests in flight`),
    rows("ratio", `${(t.ratio * 100).toFixed(1)} %`, `goal >= ${GOALS.minThroughputRatio * 100} %: ${verdict(t.ratio >= GOALS.minThroughputRatio)}`),
    "",
    "Memory (peak RSS of a fresh process running the state machine and handlers; emulators in the parent)",
    rows(`${m.small.rows} rows (${m.small.status})`, mib(m.small.maxRssBytes)),
    rows(`${m.large.rows} rows (${m.large.status})`, mib(m.large.maxRssBytes)),
    rows("ratio", m.ratio.toFixed(2), `goal <= ${GOALS.maxMemoryRatio}: ${verdict(m.ratio <= GOALS.maxMemoryRatio)}`),
    "",
    "Bundles (require time: fresh `node -e require(...)` minus `node -e 0`, median of 5)",
    ...report.bundles.map((b) => rows(b.name, `${(b.bytes / 1024).toFixed(1)} KiB`, `require ${b.requireMs} ms`)),
  ].join("\n");
}

function parseBenchArgs(argv: string[]): { rows: number; json: boolean } | { help: true } | { error: string } {
  try {
    const { values, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { rows: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
    if (values.help) return { help: true };
    if (positionals.length > 0) return { error: `unexpected argument ${JSON.stringify(positionals[0])}` };
    const rows = values.rows === undefined ? 200_000 : Number(values.rows);
    if (!Number.isInteger(rows) || rows < 10 || rows > 10_000_000) {
      return { error: `--rows ${JSON.stringify(values.rows)} is not a whole number from 10 to 10000000` };
    }
    return { rows, json: values.json ?? false };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).split(". To specify")[0] };
  }
}

async function bench(rows: number, log: (line: string) => void): Promise<BenchReport> {
  log("building bundles…");
  const manifest = await buildBundles();
  const dir = mkdtempSync(join(tmpdir(), "batch-ingest-bench-"));
  const emulators = await startEmulators();
  try {
    const smallRows = Math.max(1, Math.round(rows / 10));
    const large = join(dir, `orders-${rows}.csv`);
    const small = join(dir, `orders-${smallRows}.csv`);
    log(`writing ${rows} and ${smallRows} rows…`);
    await writeOrdersCsv(large, rows);
    await writeOrdersCsv(small, smallRows);
    log("measuring throughput…");
    const throughput = await measureThroughput(emulators, large, small, rows);
    log("measuring memory in fresh processes…");
    const smallRun = await measurePeakRss(emulators, small, smallRows);
    const largeRun = await measurePeakRss(emulators, large, rows);
    log("measuring bundles…");
    const bundles = measureBundles(manifest);
    return {
      node: process.versions.node,
      rows,
      throughput,
      memory: { small: smallRun, large: largeRun, ratio: largeRun.maxRssBytes / smallRun.maxRssBytes },
      bundles,
      goals: GOALS,
    };
  } finally {
    await emulators.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const args = parseBenchArgs(argv);
  if ("help" in args) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ("error" in args) {
    process.stderr.write(`error: ${args.error}\n\n${USAGE}\n`);
    return 2;
  }
  const report = await bench(args.rows, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(args.json ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`);
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (error: unknown) => {
      process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
