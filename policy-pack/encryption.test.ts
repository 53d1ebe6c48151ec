import assert from "node:assert/strict";
import {
  dynamodbTableEncryption,
  logGroupEncryption,
  s3BucketEncryption,
  snsTopicEncryption,
  stateMachineEncryption,
} from "./encryption";
import { TYPES } from "./lib/resource-types";
import { bucket, bucketCompanions, bucketStack, KMS_KEY_ARN, logGroup, resource, stateMachine, table, topic } from "./test-fixtures";
import { checkStack, resourceViolations, stackViolations, UNKNOWN, type TestResource } from "./testing";

const sse = (rules: unknown[]): TestResource => resource(TYPES.bucketSse, "data-bucket-sse", { bucket: bucketCompanions().sse!.props.bucket, rules });
const aes256 = sse([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);

describe("s3-bucket-server-side-encryption", () => {
  const cases: Array<{ when: string; resources: TestResource[]; config?: Record<string, unknown>; expect: RegExp | null }> = [
    { when: "a KMS configuration exists and KMS is required", resources: bucketStack(), config: { requireKms: true }, expect: null },
    { when: "AES256 is used and KMS is not required", resources: bucketStack({ sse: aes256 }), expect: null },
    { when: "AES256 is used but the stack requires KMS", resources: bucketStack({ sse: aes256 }), config: { requireKms: true }, expect: /encrypts with AES256; this stack requires SSE-KMS/ },
    { when: "the bucket has no encryption configuration", resources: bucketStack({ sse: undefined }), expect: /declares no default encryption/ },
    { when: "a rule has no algorithm", resources: bucketStack({ sse: sse([{ bucketKeyEnabled: true }]) }), expect: /without sseAlgorithm/ },
    {
      when: "the configuration belongs to another bucket",
      resources: bucketStack({ sse: resource(TYPES.bucketSse, "other-sse", { bucket: "some-other-bucket", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] }) }),
      expect: /declares no default encryption/,
    },
    {
      when: "the bucket is encrypted inline (deprecated form)",
      resources: [bucket({ serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } } } })],
      config: { requireKms: true },
      expect: null,
    },
  ];
  for (const c of cases) {
    it(`${c.expect ? "denies" : "allows"} a bucket when ${c.when}`, async () => {
      const messages = await stackViolations(s3BucketEncryption, c.resources, c.config);
      if (c.expect) {
        assert.equal(messages.length, 1, messages.join("\n"));
        assert.match(messages[0]!, c.expect);
      } else {
        assert.deepEqual(messages, []);
      }
    });
  }

  it("links a new bucket to its configuration through property dependencies when the name is unknown", async () => {
    const newBucket = bucket({ bucket: UNKNOWN.string });
    const unknownSse = { ...aes256, props: { ...aes256.props, bucket: UNKNOWN.string }, propertyDependencies: { bucket: [newBucket.urn!] } };
    const messages = await stackViolations(s3BucketEncryption, [newBucket, unknownSse], { requireKms: true });
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /AES256/);
  });

  it("is not applicable to a stack without buckets", async () => {
    const outcome = await checkStack(s3BucketEncryption, [table()]);
    assert.deepEqual(outcome.violations, []);
    assert.match(outcome.notApplicable.join(), /no S3 bucket/);
  });

  it("reports that it cannot run, instead of crashing, when the algorithm is unknown", async () => {
    const outcome = await checkStack(s3BucketEncryption, bucketStack({ sse: sse([{ applyServerSideEncryptionByDefault: { sseAlgorithm: UNKNOWN.string } }]) }));
    assert.deepEqual(outcome.violations, []);
    assert.match(outcome.cannotRun.join(), /can't run policy 's3-bucket-server-side-encryption' during preview/);
  });
});

describe("dynamodb-table-kms-encryption", () => {
  const cases = [
    { when: "SSE uses a customer managed key", props: {}, config: { requireCustomerManagedKey: true }, expect: null },
    { when: "SSE uses the AWS managed key", props: { serverSideEncryption: { enabled: true } }, config: {}, expect: null },
    { when: "SSE is off", props: { serverSideEncryption: { enabled: false } }, config: {}, expect: /not KMS-encrypted/ },
    { when: "SSE is not declared", props: { serverSideEncryption: undefined }, config: {}, expect: /not KMS-encrypted \(serverSideEncryption.enabled is not set\)/ },
    { when: "the stack requires a customer managed key", props: { serverSideEncryption: { enabled: true } }, config: { requireCustomerManagedKey: true }, expect: /requires a customer managed key/ },
  ];
  for (const c of cases) {
    it(`${c.expect ? "denies" : "allows"} a table when ${c.when}`, async () => {
      const messages = await resourceViolations(dynamodbTableEncryption, table(c.props), c.config);
      if (c.expect) assert.match(messages.join("\n"), c.expect);
      else assert.deepEqual(messages, []);
    });
  }
});

describe("sns-topic-kms-encryption", () => {
  it("allows a topic with a KMS key", async () => {
    assert.deepEqual(await resourceViolations(snsTopicEncryption, topic()), []);
  });
  it("denies a topic without a KMS key", async () => {
    assert.match((await resourceViolations(snsTopicEncryption, topic({ kmsMasterKeyId: undefined }))).join(), /not encrypted: set kmsMasterKeyId/);
  });
});

describe("sfn-state-machine-encryption", () => {
  const cases = [
    { when: "it uses a customer managed key", props: {}, config: { requireCustomerManagedKey: true }, expect: null },
    { when: "it uses the AWS owned key and the stack allows it", props: { encryptionConfiguration: { type: "AWS_OWNED_KEY" } }, config: {}, expect: null },
    { when: "it declares no encryption configuration", props: { encryptionConfiguration: undefined }, config: {}, expect: /declares no encryptionConfiguration/ },
    { when: "a customer managed key has no key id", props: { encryptionConfiguration: { type: "CUSTOMER_MANAGED_KMS_KEY" } }, config: {}, expect: /without kmsKeyId/ },
    { when: "the stack requires a customer managed key", props: { encryptionConfiguration: { type: "AWS_OWNED_KEY" } }, config: { requireCustomerManagedKey: true }, expect: /requires CUSTOMER_MANAGED_KMS_KEY/ },
  ];
  for (const c of cases) {
    it(`${c.expect ? "denies" : "allows"} a state machine when ${c.when}`, async () => {
      const messages = await resourceViolations(stateMachineEncryption, stateMachine(c.props), c.config);
      if (c.expect) assert.match(messages.join("\n"), c.expect);
      else assert.deepEqual(messages, []);
    });
  }
});

describe("cloudwatch-log-group-kms", () => {
  it("allows a log group with a KMS key", async () => {
    assert.deepEqual(await resourceViolations(logGroupEncryption, logGroup("a", { kmsKeyId: KMS_KEY_ARN })), []);
  });
  it("flags a log group without a KMS key, advisory by default", async () => {
    assert.match((await resourceViolations(logGroupEncryption, logGroup("a", { kmsKeyId: undefined }))).join(), /has no kmsKeyId/);
    assert.equal(logGroupEncryption.enforcementLevel, "advisory");
  });
});
