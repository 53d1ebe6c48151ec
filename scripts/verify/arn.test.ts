import assert from "node:assert/strict";
import { parseArn, resourceName, resourceType } from "./arn";

describe("ARNs", () => {
  const cases: { arn: string; type: string; name: string }[] = [
    { arn: "arn:aws:lambda:eu-west-1:210987654321:function:batch-ingest-dev-validate-1a2b3c", type: "lambda:function", name: "batch-ingest-dev-validate-1a2b3c" },
    { arn: "arn:aws:states:eu-west-1:210987654321:stateMachine:batch-ingest-dev-ingest", type: "states:stateMachine", name: "batch-ingest-dev-ingest" },
    { arn: "arn:aws:dynamodb:eu-west-1:210987654321:table/batch-ingest-dev-jobs", type: "dynamodb:table", name: "batch-ingest-dev-jobs" },
    { arn: "arn:aws:s3:::batch-ingest-dev-data", type: "s3:bucket", name: "batch-ingest-dev-data" },
    { arn: "arn:aws:logs:eu-west-1:210987654321:log-group:/aws/lambda/validate", type: "logs:log-group", name: "/aws/lambda/validate" },
    { arn: "arn:aws:sns:eu-west-1:210987654321:batch-ingest-dev-alarms", type: "sns:topic", name: "batch-ingest-dev-alarms" },
    { arn: "arn:aws:sqs:eu-west-1:210987654321:batch-ingest-dev-dlq", type: "sqs:queue", name: "batch-ingest-dev-dlq" },
    { arn: "arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab", type: "kms:key", name: "1234abcd-12ab-34cd-56ef-1234567890ab" },
    { arn: "arn:aws:events:eu-west-1:210987654321:rule/batch-ingest-dev-object-created", type: "events:rule", name: "batch-ingest-dev-object-created" },
    { arn: "arn:aws:cloudwatch:eu-west-1:210987654321:alarm:batch-ingest-dev-failures", type: "cloudwatch:alarm", name: "batch-ingest-dev-failures" },
    { arn: "arn:aws-cn:ec2:cn-north-1:210987654321:vpc/vpc-0abc", type: "ec2:vpc", name: "vpc-0abc" },
  ];
  for (const c of cases) {
    it(`reads ${c.type} from ${c.arn}`, () => {
      assert.equal(resourceType(c.arn), c.type);
      assert.equal(resourceName(c.arn), c.name);
    });
  }

  it("keeps the colons inside the resource part", () => {
    assert.deepEqual(parseArn("arn:aws:lambda:eu-west-1:210987654321:function:f:live"), {
      partition: "aws",
      service: "lambda",
      region: "eu-west-1",
      account: "210987654321",
      resource: "function:f:live",
    });
  });

  for (const bad of ["", "batch-ingest-dev-data", "arn:aws:s3", "urn:pulumi:dev::batch-ingest::aws:s3/bucket:Bucket::data"]) {
    it(`refuses "${bad}" as not an ARN`, () => {
      assert.throws(() => parseArn(bad), /is not an ARN \(arn:<partition>:<service>:<region>:<account>:<resource>\)/);
    });
  }
});
