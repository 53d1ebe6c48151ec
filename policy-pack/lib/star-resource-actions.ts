/**
 * The actions AWS documents as needing `Resource: "*"` (they act on no resource ARN, or on one that
 * does not exist yet). TEMPORARY: this list moves to `infra/iam.ts` (`STAR_RESOURCE_ACTIONS`), shared
 * by the program, its tests and this pack; until then it lives here.
 */
export const STAR_RESOURCE_ACTIONS: readonly string[] = [
  // X-Ray: trace segments and sampling rules have no ARNs (Lambda and Step Functions tracing).
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  // CloudWatch Logs vended-log delivery, which Step Functions logging uses.
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
  // Lambda in a VPC: the network interfaces are created by the service.
  "ec2:CreateNetworkInterface",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DeleteNetworkInterface",
  "ec2:AssignPrivateIpAddresses",
  "ec2:UnassignPrivateIpAddresses",
];
