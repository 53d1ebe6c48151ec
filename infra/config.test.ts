import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_KEYS, ConfigError, loadConfig, LOG_RETENTION_DAYS } from "./config";
import { REPO_ROOT } from "./shared/bundling";
import { writeFixtureBundles } from "./testing/fixture-bundles";
import { ProgramError, readStackFile, runProgram, STACKS, type StackName } from "./testing/harness";

describe("stack config", () => {
  describe("the three stack files", () => {
    const loaded = Object.fromEntries(STACKS.map((stack) => [stack, loadConfig(stack, readStackFile(stack).config)]));

    it("each pass the schema", () => {
      for (const stack of STACKS) assert.equal(loaded[stack].stack, stack);
    });

    it("differ for real where the environments should", () => {
      const differing: Array<[string, (s: StackName) => unknown]> = [
        ["capacity mode", (s) => loaded[s].capacityMode],
        ["log level", (s) => loaded[s].logLevel],
        ["log retention", (s) => loaded[s].logRetentionDays],
        ["memory", (s) => loaded[s].memoryMb],
        ["timeouts", (s) => JSON.stringify(loaded[s].timeoutSeconds)],
        ["reserved concurrency", (s) => loaded[s].reservedConcurrency],
        ["alarm thresholds", (s) => JSON.stringify(loaded[s].alarmThresholds)],
        ["deletion protection", (s) => loaded[s].deletionProtection],
        ["lifecycle days", (s) => JSON.stringify(loaded[s].lifecycleDays)],
        ["KMS key choice", (s) => loaded[s].kmsKey],
        ["network", (s) => loaded[s].network],
      ];
      for (const [what, pick] of differing) {
        assert.ok(new Set(STACKS.map(pick)).size > 1, `${what} is the same in every stack`);
      }
    });

    it("protect prod and place its functions in a VPC with the stack's own key", () => {
      assert.deepEqual(
        STACKS.map((s) => [s, loaded[s].deletionProtection, loaded[s].network, loaded[s].kmsKey]),
        [
          ["dev", false, "none", "aws-managed"],
          ["qa", false, "none", "customer-managed"],
          ["prod", true, "vpc", "customer-managed"],
        ],
      );
    });
  });

  describe("an invalid config fails before any resource exists, naming the stack, key, value and what is allowed", () => {
    let distDir: string;
    before(() => {
      distDir = writeFixtureBundles();
    });
    after(() => rmSync(distDir, { recursive: true, force: true }));

    const timeouts = (overrides: Record<string, number>) => JSON.stringify({ validate: 60, transform: 600, load: 600, report: 60, ...overrides });
    const cases: Array<{ class: string; stack: StackName; config?: Record<string, string | null>; secrets?: Record<string, string>; expect: string }> = [
      {
        class: "a retention CloudWatch does not accept",
        stack: "dev",
        config: { "batch-ingest:logRetentionDays": "4" },
        expect: `Stack "dev": batch-ingest:logRetentionDays is 4; allowed: ${LOG_RETENTION_DAYS.join(", ")}`,
      },
      {
        class: "memory below Lambda's 128 MB",
        stack: "qa",
        config: { "batch-ingest:memoryMb": "64" },
        expect: 'Stack "qa": batch-ingest:memoryMb is 64; allowed: a whole number of MB from 128 to 10240',
      },
      {
        class: "memory above Lambda's 10240 MB",
        stack: "prod",
        config: { "batch-ingest:memoryMb": "10241" },
        expect: 'Stack "prod": batch-ingest:memoryMb is 10241; allowed: a whole number of MB from 128 to 10240',
      },
      {
        class: "a bucket name prefix breaking S3's rules",
        stack: "prod",
        config: { "batch-ingest:bucketNamePrefix": "Batch_Ingest" },
        expect: 'Stack "prod": batch-ingest:bucketNamePrefix is "Batch_Ingest"; allowed: 3-36 characters of lowercase letters, digits and hyphens',
      },
      {
        class: "a bucket name prefix S3 reserves",
        stack: "dev",
        config: { "batch-ingest:bucketNamePrefix": "xn--ingest" },
        expect: 'Stack "dev": batch-ingest:bucketNamePrefix is "xn--ingest"; allowed: 3-36 characters',
      },
      {
        class: "an unknown key, such as a typo",
        stack: "dev",
        config: { "batch-ingest:memroyMb": "512" },
        expect: 'Stack "dev": batch-ingest:memroyMb is not a known key (value 512); allowed keys: batch-ingest:bucketNamePrefix,',
      },
      {
        class: "a missing key",
        stack: "qa",
        config: { "batch-ingest:logLevel": null },
        expect: 'Stack "qa": batch-ingest:logLevel is missing; allowed: DEBUG, INFO, WARN, ERROR (set it with `pulumi config set batch-ingest:logLevel <value> -s qa`)',
      },
      {
        class: "a value outside a list of choices",
        stack: "qa",
        config: { "batch-ingest:capacityMode": "burst" },
        expect: 'Stack "qa": batch-ingest:capacityMode is "burst"; allowed: on-demand, provisioned',
      },
      {
        class: "text where a number belongs",
        stack: "dev",
        config: { "batch-ingest:maxFileBytes": "lots" },
        expect: 'Stack "dev": batch-ingest:maxFileBytes is "lots"; allowed: a whole number from 1 to 5368709120',
      },
      {
        class: "a boolean that is not true or false",
        stack: "dev",
        config: { "batch-ingest:deletionProtection": "yes" },
        expect: 'Stack "dev": batch-ingest:deletionProtection is "yes"; allowed: true, false',
      },
      {
        class: "a function timeout not below its Task's TimeoutSeconds",
        stack: "prod",
        config: { "batch-ingest:timeoutSeconds": timeouts({ validate: 90 }) },
        expect: 'Stack "prod": batch-ingest:timeoutSeconds.validate is 90; allowed: below 90, the TimeoutSeconds of the Validate Task that invokes it',
      },
      {
        class: "a function timeout above Lambda's 900 s",
        stack: "qa",
        config: { "batch-ingest:timeoutSeconds": timeouts({ transform: 901 }) },
        expect: 'Stack "qa": batch-ingest:timeoutSeconds.transform is 901; allowed: a whole number of seconds from 1 to 900',
      },
      {
        class: "an object key that is not an object",
        stack: "dev",
        config: { "batch-ingest:timeoutSeconds": "60" },
        expect: 'Stack "dev": batch-ingest:timeoutSeconds is 60; allowed: an object with a whole number of seconds for each of validate, transform, load, report',
      },
      {
        class: "an unknown field of an object key",
        stack: "dev",
        config: { "batch-ingest:lifecycleDays": JSON.stringify({ processd: 7, processed: 7, rejected: 7, noncurrentVersions: 7, incompleteUploads: 1 }) },
        expect: 'Stack "dev": batch-ingest:lifecycleDays.processd is not a known field (value 7); allowed fields: processed, rejected, noncurrentVersions, incompleteUploads',
      },
      {
        class: "a missing field of an object key",
        stack: "prod",
        config: { "batch-ingest:alarmThresholds": JSON.stringify({ functionErrors: 1, functionThrottles: 1, executionsFailed: 1, executionsTimedOut: 1 }) },
        expect: 'Stack "prod": batch-ingest:alarmThresholds.executionThrottled is missing; allowed: a whole number from 1 to 10000',
      },
      {
        class: "provisioned capacity without its bounds",
        stack: "dev",
        config: { "batch-ingest:capacityMode": "provisioned" },
        expect: 'Stack "dev": batch-ingest:provisionedCapacity is missing; allowed: an object { readMin, readMax, writeMin, writeMax, targetUtilizationPercent }',
      },
      {
        class: "capacity bounds on an on-demand table",
        stack: "qa",
        config: { "batch-ingest:capacityMode": "on-demand" },
        expect: 'Stack "qa": batch-ingest:provisionedCapacity is set but capacityMode is on-demand; allowed: no provisionedCapacity with on-demand',
      },
      {
        class: "a capacity minimum above its maximum",
        stack: "qa",
        config: { "batch-ingest:provisionedCapacity": JSON.stringify({ readMin: 60, readMax: 50, writeMin: 5, writeMax: 100, targetUtilizationPercent: 70 }) },
        expect: 'Stack "qa": batch-ingest:provisionedCapacity.readMin is 60; allowed: at most readMax (50)',
      },
      {
        class: "a malformed secret, without showing it",
        stack: "prod",
        secrets: { "batch-ingest:alarmEmail": "oncall-at-example.com" },
        expect: 'Stack "prod": batch-ingest:alarmEmail is [secret]; allowed: an email address such as oncall@example.com',
      },
      {
        class: "a region that does not exist",
        stack: "dev",
        config: { "aws:region": "mars-north-1" },
        expect: 'Stack "dev": aws:region is "mars-north-1"; allowed: an AWS region such as eu-west-1',
      },
      {
        class: "state machine logging turned off",
        stack: "prod",
        config: { "batch-ingest:workflowLogLevel": "OFF" },
        expect: 'Stack "prod": batch-ingest:workflowLogLevel is "OFF"; allowed: ALL, ERROR, FATAL (OFF is refused',
      },
      {
        class: "a reserved concurrency of zero, which disables the functions",
        stack: "prod",
        config: { "batch-ingest:reservedConcurrency": "0" },
        expect: 'Stack "prod": batch-ingest:reservedConcurrency is 0; allowed: unreserved, or a whole number from 1 to 1000',
      },
      {
        class: "a VPC setting without a VPC",
        stack: "dev",
        config: { "batch-ingest:vpcAzCount": "2" },
        expect: 'Stack "dev": batch-ingest:vpcAzCount is set but network is none; allowed: vpcAzCount only with network vpc',
      },
    ];

    for (const c of cases) {
      it(`refuses ${c.class}`, async () => {
        let error: unknown;
        try {
          await runProgram(c.stack, { config: c.config, secrets: c.secrets, distDir });
        } catch (err) {
          error = err;
        }
        assert.ok(error instanceof ProgramError, `the ${c.stack} run should have failed`);
        assert.ok(error.message.includes(c.expect), `message was:\n${error.message}\nexpected it to include:\n${c.expect}`);
        assert.deepEqual(
          error.resources.map((r) => r.type),
          ["pulumi:pulumi:Stack"],
          "resources were registered before the config was checked",
        );
        for (const secret of Object.values(c.secrets ?? {})) assert.ok(!error.message.includes(secret), "the error shows a secret");
      });
    }

    it("suggests the key a typo was meant to be", () => {
      const raw = { ...readStackFile("dev").config, "batch-ingest:logRetentonDays": "7" };
      assert.throws(() => loadConfig("dev", raw), /Did you mean batch-ingest:logRetentionDays\?/);
    });

    it("lists every problem at once, one line each", () => {
      const raw = { ...readStackFile("qa").config, "batch-ingest:memoryMb": "1", "batch-ingest:logLevel": "LOUD" };
      try {
        loadConfig("qa", raw);
        assert.fail("loadConfig accepted two bad keys");
      } catch (err) {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 2);
        assert.match(err.problems.join("\n"), /logLevel is "LOUD".*\n.*memoryMb is 1;/);
      }
    });

    it("documents every key it accepts", () => {
      for (const [key, spec] of Object.entries(CONFIG_KEYS)) {
        assert.ok(spec.description.length > 10 && spec.allowed.length > 3, `batch-ingest:${key} has no description or allowed values`);
      }
    });
  });

  describe("the README's table of config keys", () => {
    const guide = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const from = guide.indexOf("### Config keys");
    const to = guide.indexOf("\n#", from + 1);
    const section = guide.slice(from, to === -1 ? undefined : to);
    const rows = section
      .split("\n")
      .filter((line) => line.startsWith("| `"))
      .map((line) => line.split(/(?<!\\)\|/).slice(1, -1).map((cell) => cell.trim()));
    const byKey = new Map(rows.map((cells) => [cells[0].replace(/`/g, ""), cells]));
    /** A stack file value as the table shows it: objects as `k: v, ...`, missing as —. */
    const cell = (raw: string | undefined): string =>
      raw === undefined ? "—" : raw.startsWith("{") ? Object.entries(JSON.parse(raw) as Record<string, unknown>).map(([k, v]) => `${k}: ${String(v)}`).join(", ") : raw;

    it("has a row for every key, and no other", () => {
      assert.deepEqual([...byKey.keys()].sort(), ["aws:region", ...Object.keys(CONFIG_KEYS).map((k) => `batch-ingest:${k}`)].sort());
    });

    it("shows each stack file's value of every key that is not a secret", () => {
      for (const [key, cells] of byKey) {
        if (CONFIG_KEYS[key.replace("batch-ingest:", "")]?.secret) continue;
        STACKS.forEach((stack, i) => {
          assert.equal(cells[2 + i].replace(/`/g, ""), cell(readStackFile(stack).config[key]), `${key} in ${stack}`);
        });
      }
    });
  });
});
