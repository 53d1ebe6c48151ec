import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TAGGABLE_TYPES } from "../infra/tags";
import { logGroupRetention } from "./logs";
import { TYPES } from "./lib/resource-types";
import { AWSX_CHILD_TAGGABLE_TYPES, requiredTags, SEMVER, versionTagSemver } from "./tags";
import { bucketCompanions, lambdaFunction, logGroup, resource, TAGS, table } from "./test-fixtures";
import { checkResource, resourceViolations, type TestResource } from "./testing";

const without = (key: string): Record<string, string> => Object.fromEntries(Object.entries(TAGS).filter(([k]) => k !== key));

describe("required-tags", () => {
  const cases: Array<{ when: string; resource: TestResource; config?: Record<string, unknown>; expect: RegExp | null }> = [
    { when: "a function carries all four tags", resource: lambdaFunction(), expect: null },
    { when: "a table lacks Version", resource: table({ tags: without("Version") }), expect: /state-table \(aws:dynamodb\/table:Table\) lacks the tag Version/ },
    { when: "a function has no tags at all", resource: lambdaFunction("load", { tags: undefined }), expect: /lacks the tags Project, Environment, Version, ManagedBy/ },
    { when: "a tag is empty", resource: logGroup("a", { tags: { ...TAGS, Environment: " " } }), expect: /lacks the tag Environment/ },
    { when: "the computed tagsAll holds the provider's default tags", resource: table({ tags: undefined, tagsAll: TAGS }), expect: null },
    { when: "a stack requires another tag", resource: lambdaFunction(), config: { requiredTags: ["CostCenter"] }, expect: /lacks the tag CostCenter/ },
    { when: "an untyped resource arrives with tags missing one", resource: resource("aws:sqs/queue:Queue", "q", { tags: without("ManagedBy") }), expect: /lacks the tag ManagedBy/ },
    { when: "a subnet awsx created lacks tags", resource: resource("aws:ec2/subnet:Subnet", "vpc-isolated-1", { cidrBlock: "10.0.0.0/20" }), expect: /lacks the tags/ },
  ];
  for (const c of cases) {
    it(`${c.expect ? "denies" : "allows"} when ${c.when}`, async () => {
      const messages = await resourceViolations(requiredTags, c.resource, c.config);
      if (c.expect) {
        assert.equal(messages.length, 1, messages.join("\n"));
        assert.match(messages[0]!, c.expect);
      } else {
        assert.deepEqual(messages, []);
      }
    });
  }

  it("does not apply to types that take no tags", async () => {
    const outcome = await checkResource(requiredTags, bucketCompanions().versioning!);
    assert.deepEqual(outcome.violations, []);
    assert.match(outcome.notApplicable.join(), /take no tags/);
  });

  it("counts the default tags of an explicit provider, whose config arrives JSON-encoded", async () => {
    const provider = { type: "pulumi:providers:aws", name: "eu", urn: "urn:pulumi:test::batch-ingest::pulumi:providers:aws::eu", props: { region: "eu-west-1", defaultTags: JSON.stringify({ tags: { ManagedBy: "pulumi" } }) } };
    assert.deepEqual(await resourceViolations(requiredTags, { ...table({ tags: without("ManagedBy") }), provider }), []);
    assert.equal((await resourceViolations(requiredTags, table({ tags: without("ManagedBy") }))).length, 1, "and without the provider the tag is missing");
  });

  it("knows every extra taggable type to take tags in @pulumi/aws", () => {
    for (const type of [...AWSX_CHILD_TAGGABLE_TYPES, ...TAGGABLE_TYPES.filter((t) => t.startsWith("aws:"))]) {
      const [, module = ""] = type.split(":");
      const [dir = "", file = ""] = module.split("/");
      const dts = readFileSync(join(require.resolve("@pulumi/aws/package.json"), "..", dir, `${file}.d.ts`), "utf8");
      assert.match(dts, /\n\s+tags\?: pulumi\.Input<\{/, `${type} takes tags`);
    }
  });
});

describe("version-tag-semver", () => {
  const table_ = [
    { version: "1.4.0", ok: true },
    { version: "0.1.0", ok: true },
    { version: "2.0.0-rc.1+build.5", ok: true },
    { version: "v1.4.0", ok: false },
    { version: "1.4", ok: false },
    { version: "01.4.0", ok: false },
    { version: "latest", ok: false },
  ];
  for (const { version, ok } of table_) {
    it(`${ok ? "accepts" : "rejects"} Version ${JSON.stringify(version)}`, async () => {
      const messages = await resourceViolations(versionTagSemver, lambdaFunction("validate", { tags: { ...TAGS, Version: version } }));
      if (ok) assert.deepEqual(messages, []);
      else assert.match(messages.join(), new RegExp(`Version tag "${version.replace(/[.+]/g, "\\$&")}", which is not SemVer`));
      assert.equal(SEMVER.test(version), ok);
    });
  }

  it("leaves a missing Version tag to required-tags", async () => {
    const outcome = await checkResource(versionTagSemver, lambdaFunction("validate", { tags: without("Version") }));
    assert.deepEqual(outcome.violations, []);
    assert.match(outcome.notApplicable.join(), /required-tags reports it/);
  });
});

describe("log-group-retention", () => {
  const cases = [
    { when: "retention is a year, within the default bounds", props: { retentionInDays: 365 }, config: {}, expect: null },
    { when: "retention is 7 days and the stack allows 7 to 30", props: { retentionInDays: 7 }, config: { minimumDays: 7, maximumDays: 30 }, expect: null },
    { when: "retention is not set", props: { retentionInDays: undefined }, config: {}, expect: /never expires its events \(retentionInDays not set\)/ },
    { when: "retention is 0 (never expire)", props: { retentionInDays: 0 }, config: {}, expect: /never expires its events/ },
    { when: "retention is a value CloudWatch refuses", props: { retentionInDays: 10 }, config: {}, expect: /retentionInDays 10, which CloudWatch refuses/ },
    { when: "retention is shorter than the stack's minimum", props: { retentionInDays: 30 }, config: {}, expect: /keeps events 30 days; this stack requires 365 to 3653/ },
    { when: "retention is longer than the stack's maximum", props: { retentionInDays: 90 }, config: { minimumDays: 7, maximumDays: 30 }, expect: /keeps events 90 days; this stack requires 7 to 30/ },
  ];
  for (const c of cases) {
    it(`${c.expect ? "denies" : "allows"} a log group when ${c.when}`, async () => {
      const messages = await resourceViolations(logGroupRetention, logGroup("workflow-logs", c.props), c.config);
      if (c.expect) assert.match(messages.join(), c.expect);
      else assert.deepEqual(messages, []);
    });
  }

  it("rejects a stack config whose bound CloudWatch cannot take", async () => {
    await assert.rejects(resourceViolations(logGroupRetention, logGroup(), { minimumDays: 10 }), /minimumDays is 10; allowed: 1, 3, 5, 7/);
  });

  it("does not apply to other resources", async () => {
    assert.match((await checkResource(logGroupRetention, resource(TYPES.topic, "t", {}))).notApplicable.join(), /aws:cloudwatch\/logGroup:LogGroup/);
  });
});
