import assert from "node:assert/strict";
import type { ProgramRun, RecordedResource, StackName } from "../testing/harness";
import { list, ofType, one, TYPES as T } from "../testing/inspect";
import { stackRuns } from "../testing/stack-runs";

describe("Network, in prod only", () => {
  let runs: Record<StackName, ProgramRun>;
  const res = (stack: StackName): RecordedResource[] => runs[stack].resources;

  before(async () => {
    runs = await stackRuns();
  });

  it("places prod's functions in a VPC over several AZs with S3 and DynamoDB gateway endpoints, and dev and qa's outside one", () => {
    const vpc = one(res("prod"), "awsx:ec2:Vpc");
    assert.ok(Number(vpc.inputs["numberOfAvailabilityZones"]) >= 2);
    assert.deepEqual(vpc.inputs["natGateways"], { strategy: "None" });
    const endpoints = ofType(res("prod"), "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => [e.inputs["serviceName"], e.inputs["vpcEndpointType"], list(e.inputs["routeTableIds"]).length]);
    assert.deepEqual(endpoints.sort(), [
      ["com.amazonaws.eu-west-1.dynamodb", "Gateway", 3],
      ["com.amazonaws.eu-west-1.s3", "Gateway", 3],
    ]);
    const group = one(res("prod"), "aws:ec2/securityGroup:SecurityGroup");
    const egress = ofType(res("prod"), "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
    const prefixLists = ofType(res("prod"), "aws:ec2/vpcEndpoint:VpcEndpoint").map((e) => e.state["prefixListId"]).sort();
    assert.deepEqual(egress.map((e) => e.inputs["prefixListId"]).sort(), prefixLists);
    assert.ok(egress.every((e) => e.inputs["fromPort"] === 443 && e.inputs["toPort"] === 443 && e.inputs["securityGroupId"] === group.id));
    for (const fn of ofType(res("prod"), T.fn)) {
      assert.deepEqual(fn.inputs["vpcConfig"], { subnetIds: vpc.state["isolatedSubnetIds"], securityGroupIds: [group.id] });
    }
    for (const stack of ["dev", "qa"] as const) for (const fn of ofType(res(stack), T.fn)) assert.equal(fn.inputs["vpcConfig"], undefined);
  });

});
