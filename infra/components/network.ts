import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
  /** The region, for the endpoints' service names (`com.amazonaws.<region>.s3`). */
  readonly region: string;
  /** How many availability zones the subnets span; Lambda wants at least two for availability. @default 3 */
  readonly azCount?: number;
  /** The VPC's address range. @default "10.0.0.0/16" */
  readonly cidrBlock?: string;
}

/** The AWS services the handlers call, each reached through a gateway endpoint (free, no NAT). */
export const GATEWAY_SERVICES = ["s3", "dynamodb"] as const;

/**
 * A VPC for the functions: isolated subnets in several AZs (no internet route, no NAT gateway),
 * S3 and DynamoDB gateway endpoints on every subnet's route table, and a security group whose
 * only egress is HTTPS to those two services' prefix lists.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly subnetIds: pulumi.Output<string[]>;
  readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("batch-ingest:network:Network", name, {}, opts);
    const vpc = this.createVpc(name, args);
    const endpoints = GATEWAY_SERVICES.map((service) => this.createGatewayEndpoint(name, vpc, service, args.region));
    const group = this.createFunctionSecurityGroup(name, vpc, endpoints);
    this.vpcId = vpc.vpcId;
    this.subnetIds = vpc.isolatedSubnetIds;
    this.securityGroupId = group.id;
    this.registerOutputs({ vpcId: this.vpcId, subnetIds: this.subnetIds, securityGroupId: this.securityGroupId });
  }

  private createVpc(name: string, args: NetworkArgs): awsx.ec2.Vpc {
    return new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock ?? "10.0.0.0/16",
        numberOfAvailabilityZones: args.azCount ?? 3,
        subnetStrategy: "Auto",
        subnetSpecs: [{ type: "Isolated", cidrMask: 20 }],
        natGateways: { strategy: "None" },
        enableDnsHostnames: true,
        enableDnsSupport: true,
      },
      { parent: this },
    );
  }

  private createGatewayEndpoint(name: string, vpc: awsx.ec2.Vpc, service: (typeof GATEWAY_SERVICES)[number], region: string): aws.ec2.VpcEndpoint {
    // Route tables come from awsx's outputs (read in an apply; the endpoint itself is created here).
    const routeTableIds = vpc.routeTables.apply((tables) => pulumi.all(tables.map((t) => t.id)));
    return new aws.ec2.VpcEndpoint(
      `${name}-${service}`,
      { vpcId: vpc.vpcId, serviceName: `com.amazonaws.${region}.${service}`, vpcEndpointType: "Gateway", routeTableIds },
      { parent: this },
    );
  }

  private createFunctionSecurityGroup(name: string, vpc: awsx.ec2.Vpc, endpoints: aws.ec2.VpcEndpoint[]): aws.ec2.SecurityGroup {
    // No inline rules: the rules are their own resources, and a group without egress rules denies all egress.
    const group = new aws.ec2.SecurityGroup(
      `${name}-functions`,
      { vpcId: vpc.vpcId, description: "batch-ingest functions: HTTPS to S3 and DynamoDB only", revokeRulesOnDelete: true },
      { parent: this },
    );
    endpoints.forEach((endpoint, i) => {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-functions-to-${GATEWAY_SERVICES[i]}`,
        { securityGroupId: group.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: endpoint.prefixListId, description: `HTTPS to ${GATEWAY_SERVICES[i]}` },
        { parent: this },
      );
    });
    return group;
  }
}
