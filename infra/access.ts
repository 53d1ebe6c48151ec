import * as pulumi from "@pulumi/pulumi";
import type { HandlerName } from "./shared/bundling";
import { objectsUnder, viaService, type AwsContext, type Statement } from "./iam";

/**
 * Who may do what to the data: each handler's own grants, and the grants each service integration
 * of the definition needs. Everything is scoped to the bucket's key prefixes and the table's ARN.
 */

/** The bucket's key layout, shared with the handlers' contracts (`lambdas/shared/contracts.ts`). */
export const PREFIXES = {
  incoming: "incoming/",
  processed: "processed/",
  rejected: "rejected/",
  reports: "reports/",
  archive: "archive/",
} as const;

export interface ObjectGrant {
  readonly actions: readonly string[];
  readonly prefixes: readonly string[];
}

export interface HandlerAccess {
  /** Object actions, each on `<bucket ARN>/<prefix>*`. */
  readonly objects: readonly ObjectGrant[];
  /**
   * `s3:ListBucket` on the bucket. Without it S3 answers 403 instead of 404 for a missing key, and
   * validate could not tell "no such input" (InputNotFound) from "not allowed".
   */
  readonly listBucket: boolean;
  /** DynamoDB actions on the state table. */
  readonly table: readonly string[];
}

/**
 * The actions each handler's code performs (S3 GetObject/HeadObject, multipart PutObject, DynamoDB
 * BatchWriteItem); HeadObject is authorised by s3:GetObject, multipart uploads by s3:PutObject plus
 * s3:AbortMultipartUpload.
 */
export const HANDLER_ACCESS: Readonly<Record<HandlerName, HandlerAccess>> = {
  validate: { objects: [{ actions: ["s3:GetObject"], prefixes: [PREFIXES.incoming] }], listBucket: true, table: [] },
  transform: {
    objects: [
      { actions: ["s3:GetObject"], prefixes: [PREFIXES.incoming] },
      { actions: ["s3:PutObject", "s3:AbortMultipartUpload"], prefixes: [PREFIXES.processed, PREFIXES.rejected] },
    ],
    listBucket: false,
    table: [],
  },
  load: { objects: [{ actions: ["s3:GetObject"], prefixes: [PREFIXES.processed] }], listBucket: false, table: ["dynamodb:BatchWriteItem"] },
  report: { objects: [{ actions: ["s3:PutObject"], prefixes: [PREFIXES.reports] }], listBucket: false, table: [] },
};

/** What a service integration of the definition touches: the table, or objects under prefixes. */
export type IntegrationGrant = { readonly actions: readonly string[]; readonly on: "table" } | ObjectGrant;

/**
 * The IAM actions behind each `arn:aws:states:::...` Task resource the definition may use. A Task
 * resource missing here fails the program: the workflow role grants nothing it cannot name.
 * CopyObject needs GetObject on the source and PutObject on the destination.
 */
export const INTEGRATION_GRANTS: Readonly<Record<string, readonly IntegrationGrant[]>> = {
  "arn:aws:states:::dynamodb:putItem": [{ actions: ["dynamodb:PutItem"], on: "table" }],
  "arn:aws:states:::dynamodb:updateItem": [{ actions: ["dynamodb:UpdateItem"], on: "table" }],
  "arn:aws:states:::dynamodb:getItem": [{ actions: ["dynamodb:GetItem"], on: "table" }],
  "arn:aws:states:::dynamodb:deleteItem": [{ actions: ["dynamodb:DeleteItem"], on: "table" }],
  "arn:aws:states:::aws-sdk:s3:copyObject": [
    { actions: ["s3:GetObject"], prefixes: [PREFIXES.incoming] },
    { actions: ["s3:PutObject"], prefixes: [PREFIXES.archive] },
  ],
  "arn:aws:states:::aws-sdk:s3:deleteObject": [{ actions: ["s3:DeleteObject"], prefixes: [PREFIXES.incoming] }],
};

export interface DataTargets {
  readonly bucketArn: pulumi.Input<string>;
  readonly tableArn: pulumi.Input<string>;
  /** The customer managed key of the bucket; undefined when the bucket uses SSE-S3. */
  readonly bucketKeyArn: pulumi.Input<string> | undefined;
  readonly ctx: AwsContext;
}

const READS = ["s3:GetObject"];
const WRITES = ["s3:PutObject"];

/** Object grants as statements, plus the KMS calls S3 makes for them when the bucket uses the stack's key. */
function objectStatements(sid: string, grants: readonly ObjectGrant[], targets: DataTargets): Statement[] {
  const statements: Statement[] = grants.map((grant, i) => ({
    Sid: `${sid}Objects${i + 1}`,
    Effect: "Allow",
    Action: grant.actions,
    Resource: grant.prefixes.map((prefix) => objectsUnder(targets.bucketArn, prefix)),
  }));
  const actions = grants.flatMap((g) => g.actions);
  const kms = [
    ...(actions.some((a) => READS.includes(a) || WRITES.includes(a)) ? ["kms:Decrypt"] : []),
    ...(actions.some((a) => WRITES.includes(a)) ? ["kms:GenerateDataKey"] : []),
  ];
  if (targets.bucketKeyArn !== undefined && kms.length > 0) {
    // SSE-KMS: S3 calls KMS as the caller; multipart uploads also need Decrypt. Only via S3.
    statements.push({
      Sid: `${sid}BucketKey`,
      Effect: "Allow",
      Action: kms,
      Resource: [targets.bucketKeyArn],
      Condition: { StringEquals: { "kms:ViaService": viaService("s3", targets.ctx) } },
    });
  }
  return statements;
}

/** The data statements of one handler's role. */
export function handlerStatements(handler: HandlerName, targets: DataTargets): Statement[] {
  const access = HANDLER_ACCESS[handler];
  const statements = objectStatements("Data", access.objects, targets);
  if (access.listBucket) statements.push({ Sid: "DataListBucket", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [targets.bucketArn] });
  if (access.table.length > 0) statements.push({ Sid: "DataTable", Effect: "Allow", Action: access.table, Resource: [targets.tableArn] });
  return statements;
}

/** The data statements of the workflow role: exactly what its service-integration Tasks call. */
export function integrationStatements(integrations: readonly string[], targets: DataTargets): Statement[] {
  const unknown = integrations.filter((i) => !(i in INTEGRATION_GRANTS));
  if (unknown.length > 0) {
    throw new Error(`the definition calls ${unknown.join(", ")}, which INTEGRATION_GRANTS in infra/access.ts does not know: add the IAM actions it needs there`);
  }
  const grants = integrations.flatMap((i) => INTEGRATION_GRANTS[i]);
  const tableActions = [...new Set(grants.flatMap((g) => ("on" in g ? g.actions : [])))].sort();
  const objectGrants = grants.filter((g): g is ObjectGrant => !("on" in g));
  const statements = objectStatements("Integration", objectGrants, targets);
  if (tableActions.length > 0) statements.push({ Sid: "IntegrationTable", Effect: "Allow", Action: tableActions, Resource: [targets.tableArn] });
  return statements;
}
