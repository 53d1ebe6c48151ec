import assert from "node:assert/strict";
import type { StackConfig } from "../config";
import { STACKS, type ProgramRun, type RecordedResource, type StackName } from "../testing/harness";
import { list, one, record, TYPES as T } from "../testing/inspect";
import { stackConfigs, stackRuns } from "../testing/stack-runs";

describe("DataBucket, per stack", () => {
  let runs: Record<StackName, ProgramRun>;
  const configs: Record<StackName, StackConfig> = stackConfigs();
  const res = (stack: StackName): RecordedResource[] => runs[stack].resources;

  before(async () => {
    runs = await stackRuns();
  });

  it("blocks all public access, disables ACLs, versions the bucket and sends its events to EventBridge", () => {
    for (const stack of STACKS) {
      const block = one(res(stack), T.publicAccess).inputs;
      for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(block[flag], true, `${stack}: ${flag}`);
      assert.deepEqual(one(res(stack), T.ownership).inputs["rule"], { objectOwnership: "BucketOwnerEnforced" });
      assert.deepEqual(one(res(stack), T.versioning).inputs["versioningConfiguration"], { status: "Enabled" });
      assert.equal(one(res(stack), T.notification).inputs["eventbridge"], true);
      assert.equal(one(res(stack), T.bucket).inputs["forceDestroy"], undefined, `${stack}: a data bucket must not be force-destroyable`);
    }
  });

  it("denies requests that are not over TLS, for the bucket and every object", () => {
    for (const stack of STACKS) {
      const arn = String(one(res(stack), T.bucket).state["arn"]);
      const policy = JSON.parse(String(one(res(stack), "aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])) as { Statement: unknown[] };
      assert.deepEqual(policy.Statement, [
        { Sid: "DenyRequestsWithoutTls", Effect: "Deny", Principal: "*", Action: ["s3:*"], Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
      ]);
    }
  });

  it("expires processed/ and rejected/ after the stack's days, and old versions and unfinished uploads", () => {
    for (const stack of STACKS) {
      const days = configs[stack].lifecycleDays;
      const rules = list(one(res(stack), T.lifecycle).inputs["rules"]).map(record);
      const byId = Object.fromEntries(rules.map((r) => [String(r["id"]), r]));
      assert.ok(rules.every((r) => r["status"] === "Enabled"));
      assert.deepEqual(byId["expire-processed"]?.["filter"], { prefix: "processed/" });
      assert.deepEqual(byId["expire-processed"]?.["expiration"], { days: days.processed });
      assert.deepEqual(byId["expire-rejected"]?.["filter"], { prefix: "rejected/" });
      assert.deepEqual(byId["expire-rejected"]?.["expiration"], { days: days.rejected });
      assert.deepEqual(byId["expire-noncurrent-versions"]?.["noncurrentVersionExpiration"], { noncurrentDays: days.noncurrentVersions });
      assert.deepEqual(byId["abort-incomplete-uploads"]?.["abortIncompleteMultipartUpload"], { daysAfterInitiation: days.incompleteUploads });
    }
  });

});
