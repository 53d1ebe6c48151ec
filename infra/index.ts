import * as pulumi from "@pulumi/pulumi";
import type { DataTargets } from "./access";
import { handlerStatements } from "./access";
import { Alarms } from "./components/alarms";
import { DataBucket } from "./components/data-bucket";
import { EncryptionKey } from "./components/encryption-key";
import { HandlerFunction } from "./components/handler-function";
import { Network } from "./components/network";
import { StateTable } from "./components/state-table";
import { Workflow } from "./components/workflow";
import { alarmEmail, readStackConfig } from "./config";
import { handlerEnvironment } from "./environment";
import { awsContext } from "./iam";
import { releaseVersion } from "./release";
import { HANDLER_NAMES, type HandlerName } from "./shared/bundling";
import { bundleZip, resolveDistDir, type BundleZip } from "./shared/zip";
import { registerReleaseTags, releaseTags } from "./tags";
import { readDefinitionTemplate } from "../step-functions/ingest/definition";

// 1. Config and release: both checked before any resource exists.
const config = readStackConfig();
export const version = releaseVersion();
registerReleaseTags(releaseTags(pulumi.getProject(), pulumi.getStack(), version));
const ctx = awsContext(config.region);
const customerManaged = config.kmsKey === "customer-managed";
const byHandler = <T>(pick: (handler: HandlerName) => T): Record<HandlerName, T> =>
  Object.fromEntries(HANDLER_NAMES.map((h) => [h, pick(h)])) as Record<HandlerName, T>;

// 2. The key, then the data: bucket and table.
const key = new EncryptionKey("encryption", { ctx, scope: customerManaged ? "all" : "alarms", protect: config.deletionProtection });
const dataKeyArn = customerManaged ? key.keyArn : undefined;
const bucket = new DataBucket("data", {
  namePrefix: config.bucketNamePrefix,
  encryption: dataKeyArn ? { kind: "kms", keyArn: dataKeyArn } : { kind: "aes256" },
  lifecycleDays: config.lifecycleDays,
  protect: config.deletionProtection,
});
const table = new StateTable("state", {
  capacity: config.capacityMode === "provisioned" && config.provisionedCapacity ? { mode: "provisioned", ...config.provisionedCapacity } : { mode: "on-demand" },
  kmsKeyArn: dataKeyArn,
  deletionProtection: config.deletionProtection,
});
const data: DataTargets = { bucketArn: bucket.bucketArn, tableArn: table.tableArn, bucketKeyArn: dataKeyArn, ctx };

// 3. The network, where the stack wants one, and the four handlers.
const network = config.network === "vpc" ? new Network("network", { region: config.region, azCount: config.vpcAzCount }) : undefined;
const distDir = resolveDistDir();
const zips = {} as Record<HandlerName, BundleZip>;
const handlers = {} as Record<HandlerName, HandlerFunction>;
for (const handler of HANDLER_NAMES) {
  zips[handler] = bundleZip(handler, distDir);
  handlers[handler] = new HandlerFunction(handler, {
    handler,
    zip: zips[handler],
    memoryMb: config.memoryMb,
    timeoutSeconds: config.timeoutSeconds[handler],
    reservedConcurrency: config.reservedConcurrency,
    environment: handlerEnvironment(handler, { logLevel: config.logLevel, tableName: table.tableName, maxFileBytes: config.maxFileBytes, releaseVersion: version }),
    dataStatements: handlerStatements(handler, data),
    logRetentionDays: config.logRetentionDays,
    logKmsKeyArn: dataKeyArn,
    network: network ? { subnetIds: network.subnetIds, securityGroupIds: [network.securityGroupId] } : undefined,
  });
}

// 4. The workflow that runs them, and the alarms that watch both.
const workflow = new Workflow("ingest", {
  template: readDefinitionTemplate(),
  aliasArns: byHandler((h) => handlers[h].aliasArn),
  tableName: table.tableName,
  bucketName: bucket.bucketName,
  data,
  kmsKeyArn: dataKeyArn,
  logRetentionDays: config.logRetentionDays,
  logLevel: config.workflowLogLevel,
  includeExecutionData: config.workflowIncludeExecutionData,
});
const alarms = new Alarms("alarms", {
  functionNames: byHandler((h) => handlers[h].functionName),
  stateMachineArn: workflow.stateMachineArn,
  thresholds: config.alarmThresholds,
  topicKeyArn: key.keyArn,
  email: alarmEmail(config),
});

// 5. Outputs: what a deploy, the verifier and a person need to find and check the stack.
export const region = config.region;
export const bucketName = bucket.bucketName;
export const tableName = table.tableName;
export const functions = byHandler((h) => ({ name: handlers[h].functionName, aliasArn: handlers[h].aliasArn }));
export const stateMachineArn = workflow.stateMachineArn;
export const stateMachineAliasArn = workflow.aliasArn;
export const alarmTopicArn = alarms.topicArn;
export const bundleSha256 = byHandler((h) => zips[h].bundleSha256);
export const codeSha256 = byHandler((h) => zips[h].codeSha256);
