import assert from "node:assert/strict";
import { TAGGABLE_TYPES } from "../../infra/tags";
import { VerifyError } from "./errors";
import { type DeclaredResource, expectedInventory, NOT_LISTED_TYPES, REMOTE_CHILDREN, TAGGING_API_TYPES } from "./resource-types";

const resource = (type: string, inputs: Record<string, unknown> = {}, custom = true): DeclaredResource => ({ type, name: type.split(":").pop() ?? type, custom, inputs });

describe("the resources the program declares, as the Tagging API lists them", () => {
  it("knows how the Tagging API lists every type the program tags", () => {
    const unknown = TAGGABLE_TYPES.filter((t) => !(t in TAGGING_API_TYPES) && !NOT_LISTED_TYPES.has(t) && !(t in REMOTE_CHILDREN));
    assert.deepEqual(unknown, []);
  });

  it("stops, saying where to add it, at a tagged type it cannot map", () => {
    assert.throws(
      () => expectedInventory([resource("aws:ecs/cluster:Cluster")], ["aws:ecs/cluster:Cluster"]),
      (err: unknown) => err instanceof VerifyError && /the program tags aws:ecs\/cluster:Cluster, .*add it to TAGGING_API_TYPES/.test(err.message),
    );
  });

  it("counts only the types the program tags", () => {
    assert.deepEqual(expectedInventory([resource("aws:s3/bucket:Bucket"), resource("aws:dynamodb/table:Table")], ["aws:dynamodb/table:Table"]).counts, { "dynamodb:table": 1 });
  });

  it("counts tagged types by their ARN type, and sets IAM roles aside as never listed", () => {
    const inventory = expectedInventory([
      resource("pulumi:pulumi:Stack", {}, false),
      resource("batch-ingest:ingest:Workflow", {}, false),
      ...["validate", "transform", "load", "report"].map(() => resource("aws:lambda/function:Function")),
      resource("aws:lambda/alias:Alias"),
      resource("aws:s3/bucket:Bucket"),
      resource("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"),
      resource("aws:dynamodb/table:Table"),
      resource("aws:sfn/stateMachine:StateMachine"),
      resource("aws:iam/role:Role"),
      resource("aws:iam/role:Role"),
      resource("aws:iam/rolePolicy:RolePolicy"),
    ]);
    assert.deepEqual(inventory, {
      counts: { "lambda:function": 4, "s3:bucket": 1, "dynamodb:table": 1, "states:stateMachine": 1 },
      notListed: { "aws:iam/role:Role": 2 },
    });
  });

  const vpcs: { name: string; inputs: Record<string, unknown>; counts: Record<string, number> }[] = [
    {
      name: "awsx's defaults: a public and a private subnet per zone, a NAT gateway per zone",
      inputs: {},
      counts: { "ec2:vpc": 1, "ec2:subnet": 6, "ec2:route-table": 6, "ec2:internet-gateway": 1, "ec2:natgateway": 3, "ec2:elastic-ip": 3 },
    },
    {
      name: "isolated subnets only, in two zones",
      inputs: { numberOfAvailabilityZones: 2, subnetSpecs: [{ type: "Isolated" }], natGateways: { strategy: "None" } },
      counts: { "ec2:vpc": 1, "ec2:subnet": 2, "ec2:route-table": 2 },
    },
    {
      name: "one shared NAT gateway",
      inputs: { subnetSpecs: [{ type: "Public" }, { type: "Private" }], natGateways: { strategy: "Single" } },
      counts: { "ec2:vpc": 1, "ec2:subnet": 6, "ec2:route-table": 6, "ec2:internet-gateway": 1, "ec2:natgateway": 1, "ec2:elastic-ip": 1 },
    },
  ];
  for (const v of vpcs) {
    it(`counts the children mocks never see of an awsx Vpc: ${v.name}`, () => {
      assert.deepEqual(expectedInventory([{ ...resource("awsx:ec2:Vpc", v.inputs, false), options: { remote: true } }]).counts, v.counts);
    });
  }

  it("maps each type to a `<service>:<type>` and never lists a type as both counted and unlisted", () => {
    for (const [token, type] of Object.entries(TAGGING_API_TYPES)) {
      assert.match(token, /^aws:[\w]+\/\w+:\w+$/);
      assert.match(type, /^[a-z0-9-]+:[A-Za-z-]+$/);
      assert.equal(NOT_LISTED_TYPES.has(token), false, token);
    }
  });
});
