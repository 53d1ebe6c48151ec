/**
 * Reading ARNs (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html):
 * `arn:<partition>:<service>:<region>:<account>:<resource>`, where the resource is `type/id`,
 * `type:id`, or a bare id for the services whose ARNs name one kind of resource (S3, SNS, SQS).
 */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): Arn {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || !parts[1] || !parts[2]) {
    throw new Error(`"${arn}" is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)`);
  }
  const [, partition = "", service = "", region = "", account = ""] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(":") };
}

/** Services whose ARNs carry a bare id, with the one resource type they name. */
const BARE_ID_TYPES: Readonly<Record<string, string>> = { s3: "bucket", sns: "topic", sqs: "queue" };

/**
 * The resource type as `<service>:<type>` (`lambda:function`, `s3:bucket`, `logs:log-group`), the
 * vocabulary of the Tagging API's `ResourceTypeFilters`.
 */
export function resourceType(arn: string): string {
  const { service, resource } = parseArn(arn);
  const bare = BARE_ID_TYPES[service];
  if (bare && !resource.includes("/")) return `${service}:${bare}`;
  const type = /^[^/:]+/.exec(resource)?.[0] ?? resource;
  return `${service}:${type}`;
}

/** A short name for tables and messages: the last segment of the resource (`orders-table-1a2b3c`). */
export function resourceName(arn: string): string {
  const { resource } = parseArn(arn);
  const cut = resource.search(/[/:]/);
  return cut === -1 ? resource : resource.slice(cut + 1);
}
