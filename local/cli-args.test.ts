import { strict as assert } from "node:assert";
import { parseCliArgs, type CliArgs } from "./cli-args";

const defaults = { kind: "run", file: undefined, json: false, jobId: undefined, faults: [], noRetryWait: false, verbose: false, bundles: undefined } as const;

describe("command line parsing", () => {
  const runs: Array<[string[], CliArgs]> = [
    [[], defaults],
    [["orders.csv"], { ...defaults, file: "orders.csv" }],
    [["--json", "in.jsonl"], { ...defaults, file: "in.jsonl", json: true }],
    [["--job-id", "my_job-1", "x.csv"], { ...defaults, file: "x.csv", jobId: "my_job-1" }],
    [["--no-retry-wait", "--verbose"], { ...defaults, noRetryWait: true, verbose: true }],
    [["--bundles", "artifact/"], { ...defaults, bundles: "artifact/" }],
    [
      ["--fault", "ArchiveInput:S3.SlowDownException:2", "--fault", "Load:TransientDependencyError", "--fault", "Transform:E:*"],
      {
        ...defaults,
        faults: [
          { state: "ArchiveInput", error: "S3.SlowDownException", times: 2 },
          { state: "Load", error: "TransientDependencyError", times: 1 },
          { state: "Transform", error: "E", times: Infinity },
        ],
      },
    ],
    [["--", "--odd-name.csv"], { ...defaults, file: "--odd-name.csv" }],
  ];
  for (const [argv, expected] of runs) {
    it(`parses ${JSON.stringify(argv)}`, () => {
      assert.deepEqual(parseCliArgs(argv), expected);
    });
  }

  it("answers --help and -h with help", () => {
    assert.deepEqual(parseCliArgs(["--help"]), { kind: "help" });
    assert.deepEqual(parseCliArgs(["-h", "file.csv"]), { kind: "help" });
  });

  const usageErrors: Array<[string[], RegExp]> = [
    [["--jsn"], /^Unknown option '--jsn'$/],
    [["a.csv", "b.csv"], /^too many arguments: expected at most one file, got 2 \("a\.csv", "b\.csv"\)$/],
    [["--job-id"], /--job-id <value>' argument missing/],
    [["--job-id", "has space"], /--job-id "has space" is not 1–128 characters/],
    [["--job-id", "x".repeat(129)], /is not 1–128 characters/],
    [["--json=yes"], /'--json' does not take an argument/],
    [["--bundles"], /--bundles <value>' argument missing/],
    [["--fault", "ArchiveInput"], /--fault "ArchiveInput" is not <state>:<error>\[:<times>\]/],
    [["--fault", "A:B:0"], /has times "0"; use a whole number >= 1, or \* for every attempt/],
    [["--fault", "A:B:C:D"], /is not <state>:<error>/],
  ];
  for (const [argv, message] of usageErrors) {
    const shown = JSON.stringify(argv.map((a) => (a.length > 20 ? `${a.slice(0, 8)}…(${a.length} chars)` : a)));
    it(`calls ${shown} a usage error that names the problem`, () => {
      const parsed = parseCliArgs(argv);
      assert.equal(parsed.kind, "usage-error");
      assert.match(parsed.kind === "usage-error" ? parsed.message : "", message);
    });
  }
});
