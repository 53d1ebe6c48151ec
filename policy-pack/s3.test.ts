import assert from "node:assert/strict";
import type { StackValidationPolicy } from "@pulumi/policy";
import { TYPES } from "./lib/resource-types";
import { s3AclsDisabled, s3EventNotifications, s3LifecycleRules, s3PublicAccessBlock, s3TlsOnly, s3Versioning } from "./s3";
import { bucket, bucketCompanions, bucketStack, BUCKET_NAME, document, resource } from "./test-fixtures";
import { checkStack, stackViolations, UNKNOWN, type TestResource } from "./testing";

const companions = bucketCompanions();
const withProps = (r: TestResource, props: Record<string, unknown>): TestResource => ({ ...r, props: { ...r.props, ...props } });
const tlsDeny = (extra: Record<string, unknown> = {}) => ({
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [`arn:aws:s3:::${BUCKET_NAME}`, `arn:aws:s3:::${BUCKET_NAME}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
  ...extra,
});
const bucketPolicy = (...statements: Record<string, unknown>[]) => withProps(companions.policy!, { policy: document(...statements) });

interface Case {
  readonly when: string;
  readonly resources: TestResource[];
  readonly expect: RegExp | null;
  /** How many violations; 1 unless said. */
  readonly count?: number;
}

const table: Array<{ policy: StackValidationPolicy; cases: Case[] }> = [
  {
    policy: s3PublicAccessBlock,
    cases: [
      { when: "all four blocks are on", resources: bucketStack(), expect: null },
      { when: "there is no public-access block", resources: bucketStack({ publicAccessBlock: undefined }), expect: /has no BucketPublicAccessBlock/ },
      { when: "restrictPublicBuckets is off", resources: bucketStack({ publicAccessBlock: withProps(companions.publicAccessBlock!, { restrictPublicBuckets: false }) }), expect: /leaves restrictPublicBuckets off/ },
      { when: "blockPublicPolicy is not set", resources: bucketStack({ publicAccessBlock: withProps(companions.publicAccessBlock!, { blockPublicPolicy: undefined }) }), expect: /leaves blockPublicPolicy off/ },
    ],
  },
  {
    policy: s3TlsOnly,
    cases: [
      { when: "the policy denies insecure transport", resources: bucketStack(), expect: null },
      { when: "the condition is the boolean false", resources: bucketStack({ policy: bucketPolicy(tlsDeny({ Condition: { Bool: { "aws:SecureTransport": false } } })) }), expect: null },
      { when: "the bucket is configured with an inline policy", resources: [bucket({ policy: document(tlsDeny()) })], expect: null },
      { when: "there is no bucket policy", resources: bucketStack({ policy: undefined }), expect: /does not deny requests without TLS/ },
      { when: "the statement allows instead of denies", resources: bucketStack({ policy: bucketPolicy(tlsDeny({ Effect: "Allow" })) }), expect: /does not deny requests without TLS/ },
      { when: "the statement covers only the objects", resources: bucketStack({ policy: bucketPolicy(tlsDeny({ Resource: `arn:aws:s3:::${BUCKET_NAME}/*` })) }), expect: /does not deny/ },
      { when: "the statement applies to one principal only", resources: bucketStack({ policy: bucketPolicy(tlsDeny({ Principal: { AWS: "arn:aws:iam::123456789012:root" } })) }), expect: /does not deny/ },
      { when: "the statement denies only s3:GetObject", resources: bucketStack({ policy: bucketPolicy(tlsDeny({ Action: "s3:GetObject" })) }), expect: /does not deny/ },
      { when: "the policy is not JSON", resources: bucketStack({ policy: withProps(companions.policy!, { policy: "{not json" }) }), expect: /its policy is not valid JSON/, count: 2 },
    ],
  },
  {
    policy: s3AclsDisabled,
    cases: [
      { when: "ownership is BucketOwnerEnforced", resources: bucketStack(), expect: null },
      { when: "there are no ownership controls", resources: bucketStack({ ownership: undefined }), expect: /object ownership not set/ },
      { when: "ownership is ObjectWriter", resources: bucketStack({ ownership: withProps(companions.ownership!, { rule: { objectOwnership: "ObjectWriter" } }) }), expect: /"ObjectWriter"/ },
      { when: "a BucketAcl manages the bucket", resources: [...bucketStack(), resource(TYPES.bucketAcl, "data-acl", { bucket: BUCKET_NAME, acl: "public-read" })], expect: /managed by BucketAcl "data-acl"/ },
      { when: "the bucket sets a canned ACL inline", resources: [bucket({ acl: "public-read" }), companions.ownership!], expect: /sets acl\/grants inline/ },
    ],
  },
  {
    policy: s3Versioning,
    cases: [
      { when: "versioning is Enabled", resources: bucketStack(), expect: null },
      { when: "versioning is enabled inline", resources: [bucket({ versioning: { enabled: true } })], expect: null },
      { when: "versioning is Suspended", resources: bucketStack({ versioning: withProps(companions.versioning!, { versioningConfiguration: { status: "Suspended" } }) }), expect: /versioning "Suspended"/ },
      { when: "versioning is not configured", resources: bucketStack({ versioning: undefined }), expect: /versioning not configured/ },
    ],
  },
  {
    policy: s3LifecycleRules,
    cases: [
      { when: "an enabled rule exists", resources: bucketStack(), expect: null },
      { when: "there is no lifecycle configuration", resources: bucketStack({ lifecycle: undefined }), expect: /no lifecycle configuration/ },
      { when: "every rule is disabled", resources: bucketStack({ lifecycle: withProps(companions.lifecycle!, { rules: [{ id: "x", status: "Disabled", expiration: { days: 1 } }] }) }), expect: /no enabled lifecycle rule/ },
    ],
  },
  {
    policy: s3EventNotifications,
    cases: [
      { when: "EventBridge notifications are on", resources: bucketStack(), expect: null },
      { when: "a queue is notified", resources: bucketStack({ notification: withProps(companions.notification!, { eventbridge: false, queues: [{ queueArn: "arn:aws:sqs:eu-west-1:123456789012:q", events: ["s3:ObjectCreated:*"] }] }) }), expect: null },
      { when: "there is no notification configuration", resources: bucketStack({ notification: undefined }), expect: /sends no event notifications/ },
      { when: "EventBridge is off and nothing else is notified", resources: bucketStack({ notification: withProps(companions.notification!, { eventbridge: false }) }), expect: /sends no event notifications/ },
    ],
  },
];

for (const { policy, cases } of table) {
  describe(policy.name, () => {
    for (const c of cases) {
      it(`${c.expect ? "denies" : "allows"} a bucket when ${c.when}`, async () => {
        const messages = await stackViolations(policy, c.resources);
        if (c.expect) {
          assert.equal(messages.length, c.count ?? 1, messages.join("\n"));
          assert.match(messages.join("\n"), c.expect);
        } else {
          assert.deepEqual(messages, []);
        }
      });
    }

    it("is not applicable to a stack without buckets", async () => {
      const outcome = await checkStack(policy, [companions.sse!]);
      assert.match(outcome.notApplicable.join(), /no S3 bucket/);
    });
  });
}

describe("bucket companions during a first preview", () => {
  it("finds a new bucket's public-access block through property dependencies when its name is unknown", async () => {
    const newBucket = bucket({ bucket: UNKNOWN.string });
    const block = { ...withProps(companions.publicAccessBlock!, { bucket: UNKNOWN.string, ignorePublicAcls: false }), propertyDependencies: { bucket: [newBucket.urn!] } };
    const messages = await stackViolations(s3PublicAccessBlock, [newBucket, block]);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /leaves ignorePublicAcls off/);
  });

  it("names the missing companion for each of two buckets separately", async () => {
    const second = resource(TYPES.bucket, "archive-bucket", { bucket: "archive-bucket-1" });
    const messages = await stackViolations(s3PublicAccessBlock, [...bucketStack(), second]);
    assert.deepEqual(messages, [`bucket "archive-bucket" has no BucketPublicAccessBlock: add one with blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true`]);
  });
});
