import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { counts, ingest } from "./e2e-support";
import { startEmulators, type Emulators } from "./emulators";
import { realBundles } from "./real-bundles";
import { jsonLine, ordersCsv, validOrder, validOrders } from "./orders-generator";
import { readableCause } from "./format";

type Expected =
  | { readonly status: "FAILED"; readonly error: string; readonly cause: RegExp }
  | { readonly status: "SUCCEEDED"; readonly total: number; readonly loaded: number; readonly rejected: number; readonly reasons: Record<string, number> };

interface Case {
  readonly what: string;
  readonly name: string;
  /** The object's bytes; undefined: never uploaded. */
  readonly body: () => Buffer | undefined;
  readonly expected: Expected;
}

const csv = (rows: number) => ordersCsv(validOrders(rows));
const TEN_MB = 10 * 1024 * 1024;

/** Bad input of every kind: each must end in a recorded outcome, never a crash, never a lost row. */
const CASES: Case[] = [
  { what: "a missing object", name: "missing.csv", body: () => undefined, expected: { status: "FAILED", error: "InputNotFound", cause: /the object does not exist/ } },
  { what: "an empty file", name: "empty.csv", body: () => Buffer.alloc(0), expected: { status: "FAILED", error: "InvalidInputFile", cause: /is empty \(0 bytes\)/ } },
  {
    what: "a binary file",
    name: "binary.csv",
    body: () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
    expected: { status: "FAILED", error: "InvalidInputFile", cause: /binary, not text/ },
  },
  {
    what: "a header missing a column",
    name: "no-currency.csv",
    body: () => Buffer.from("orderId,customerId,amount,createdAt\no1,c1,1.00,2024-01-01T00:00:00Z\n"),
    expected: { status: "FAILED", error: "InvalidInputFile", cause: /missing the required column currency/ },
  },
  {
    what: "an unterminated quote",
    name: "open-quote.csv",
    body: () => Buffer.from(`${csv(3)}o9,c1,"1.00,EUR,2024-01-01T00:00:00Z\n${csv(2).split("\n").slice(1).join("\n")}`),
    expected: { status: "FAILED", error: "InvalidInputFile", cause: /line 5: a quoted field opens here and is never closed/ },
  },
  {
    what: "a 10 MB line",
    name: "huge-line.csv",
    body: () => Buffer.from(`${csv(3)}big,c1,1.00,EUR,${"x".repeat(TEN_MB)}\n${["o90", "o91"].map((id, i) => `${id},c${i},2.00,USD,2024-01-01T00:00:00Z`).join("\n")}\n`),
    expected: { status: "SUCCEEDED", total: 6, loaded: 5, rejected: 1, reasons: { row_too_large: 1 } },
  },
  {
    what: "invalid UTF-8",
    name: "latin1.csv",
    body: () => Buffer.concat([Buffer.from(csv(4)), Buffer.from("o50,c"), Buffer.from([0xc3, 0x28, 0xe9]), Buffer.from(",1.00,EUR,2024-01-01T00:00:00Z\n")]),
    expected: { status: "SUCCEEDED", total: 5, loaded: 4, rejected: 1, reasons: { invalid_utf8: 1 } },
  },
  {
    what: "a broken JSON line",
    name: "broken.jsonl",
    body: () => Buffer.from([jsonLine(validOrder(0)), jsonLine(validOrder(1)), '{"orderId":"o2","customerId":', jsonLine(validOrder(3)), "[1,2]"].join("\n") + "\n"),
    expected: { status: "SUCCEEDED", total: 5, loaded: 3, rejected: 2, reasons: { malformed_json: 2 } },
  },
];

describe("bad input ends in a clear recorded outcome (real bundles)", function () {
  this.timeout(60_000);
  let emu: Emulators;

  before(async function () {
    this.timeout(120_000);
    await realBundles();
    emu = await startEmulators({ bucket: "bad-input", tableName: "bad-input-state" });
  });
  after(async () => {
    await emu?.stop();
  });

  for (const { what, name, body, expected } of CASES) {
    it(`${what}: ${expected.status === "FAILED" ? `FAILED with ${expected.error} and its cause` : `SUCCEEDED with every row counted`}`, async () => {
      const { result } = await ingest(emu, name, body());
      assert.equal(result.status, expected.status, `${result.error}: ${result.cause}`);
      assert.equal(result.jobRecord?.status, expected.status, "the table records the same outcome");
      if (expected.status === "FAILED") {
        assert.equal(result.error, expected.error);
        assert.match(readableCause(result.cause ?? ""), expected.cause);
        assert.deepEqual([result.jobRecord?.error, result.jobRecord?.cause], [result.error, result.cause]);
      } else {
        assert.deepEqual(counts(result), { status: "SUCCEEDED", total: expected.total, loaded: expected.loaded, rejected: expected.rejected });
        assert.deepEqual((result.output as { reasons: unknown }).reasons, expected.reasons);
      }
    });
  }

  const usage: Array<[string[], RegExp]> = [
    [["--bogus"], /error: Unknown option '--bogus'/],
    [["a.csv", "b.csv"], /error: too many arguments: expected at most one file, got 2/],
    [["no/such/file.csv"], /error: file not found: .*no\/such\/file\.csv/],
    [["--fault", "NoSuchState:X"], /error: --fault: faults\[0\]\.state is "NoSuchState"/],
    [["--bundles", "/nonexistent"], /error: --bundles \/nonexistent lacks \/nonexistent\/lambdas\/validate\/index\.js/],
  ];
  for (const [argv, message] of usage) {
    it(`a usage error of the command line (${argv.join(" ")}): exit 2 with a usage message naming the problem`, () => {
      const cli = spawnSync(process.execPath, ["--openssl-legacy-provider", "--require", "tsx/cjs", join(__dirname, "cli.ts"), ...argv], { encoding: "utf8" });
      assert.equal(cli.status, 2, cli.stderr);
      assert.match(cli.stderr, message);
      assert.match(cli.stderr, /Usage: npm start -- \[options\] \[file\]/);
      assert.equal(cli.stdout, "");
    });
  }
});
