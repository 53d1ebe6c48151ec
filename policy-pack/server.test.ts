import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as emptyPb from "google-protobuf/google/protobuf/empty_pb";
import * as structPb from "google-protobuf/google/protobuf/struct_pb";
import { UNKNOWN } from "./lib/engine-proxy";
import { parsePackConfig, reconcilePackConfig } from "./lib/pack-config";
import { PACK_ENFORCEMENT_LEVEL, policies } from "./policies";

/**
 * The pack exactly as the Pulumi CLI runs it: `index.ts` started in its own folder serves the
 * analyzer over gRPC, and this test plays the engine (describe the pack, configure it with a
 * stack's reconciled config, analyze resources), using the engine's own protobuf messages.
 */

// The generated protobuf modules ship no declarations; these are the few members the test uses.
interface Message {
  [setter: string]: unknown;
}
type Ctor = new () => Message;
interface Proto {
  AnalyzeRequest: Ctor;
  AnalyzerResourceOptions: Ctor;
  ConfigureAnalyzerRequest: Ctor;
  PolicyConfig: Ctor;
  EnforcementLevel: Record<"ADVISORY" | "MANDATORY" | "DISABLED" | "REMEDIATE", number>;
}
interface Diagnostic {
  getPolicyname(): string;
  getMessage(): string;
  getEnforcementlevel(): number;
}
interface PolicyInfo {
  getName(): string;
  getFramework(): { getReference(): string } | undefined;
}
type Unary<Req, Res> = (req: Req, callback: (err: Error | null, res: Res) => void) => void;
interface AnalyzerClient {
  getAnalyzerInfo: Unary<unknown, { getPoliciesList(): PolicyInfo[] }>;
  configure: Unary<unknown, unknown>;
  analyze: Unary<unknown, { getDiagnosticsList(): Diagnostic[] }>;
  close(): void;
}

const pb = analyzerPb as unknown as Proto;
const Struct = (structPb as unknown as { Struct: { fromJavaScript(value: unknown): unknown } }).Struct;
const Empty = (emptyPb as unknown as { Empty: Ctor }).Empty;
const Client = (analyzerGrpc as unknown as { AnalyzerClient: new (address: string, credentials: grpc.ChannelCredentials) => AnalyzerClient }).AnalyzerClient;

const call = <Req, Res>(method: Unary<Req, Res>, client: AnalyzerClient, req: Req): Promise<Res> =>
  new Promise((resolve, reject) => method.call(client, req, (err, res) => (err ? reject(err) : resolve(res))));

function set(message: Message, values: Record<string, unknown>): Message {
  for (const [setter, value] of Object.entries(values)) (message[setter] as (v: unknown) => void).call(message, value);
  return message;
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): Message {
  return set(new pb.AnalyzeRequest(), {
    setType: type,
    setName: name,
    setUrn: `urn:pulumi:prod::batch-ingest::${type}::${name}`,
    setProperties: Struct.fromJavaScript(props),
    setOptions: set(new pb.AnalyzerResourceOptions(), { setProtect: false }),
  });
}

describe("the pack served to the Pulumi engine", function () {
  this.timeout(60_000);
  let child: ChildProcess;
  let client: AnalyzerClient;

  before(async () => {
    const packDir = __dirname;
    child = spawn(join(packDir, "..", "node_modules", ".bin", "tsx"), ["index.ts"], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
      child.once("exit", (code) => reject(new Error(`the pack exited ${code} before serving: ${stderr}`)));
    });
    assert.match(port, /^\d+$/, "the pack prints the port the engine connects to");
    client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  it("describes every policy, with its citation, to the engine", async () => {
    const info = await call(client.getAnalyzerInfo, client, new Empty());
    const described = info.getPoliciesList();
    assert.deepEqual(described.map((p) => p.getName()), policies.map((p) => p.name));
    assert.equal(described.find((p) => p.getName() === "s3-bucket-public-access-block")?.getFramework()?.getReference(), "S3.8");
  });

  it("enforces the config the CLI sends for prod: a log group kept 30 days is a mandatory violation", async () => {
    const text = readFileSync(join(__dirname, "config", "prod.json"), "utf8");
    const resolved = reconcilePackConfig(policies, parsePackConfig(text, "prod.json"), PACK_ENFORCEMENT_LEVEL);
    const request = new pb.ConfigureAnalyzerRequest();
    const map = (request.getPolicyconfigMap as () => { set(k: string, v: unknown): void }).call(request);
    for (const [name, config] of resolved) {
      const level = pb.EnforcementLevel[config.enforcementLevel.toUpperCase() as keyof Proto["EnforcementLevel"]];
      map.set(name, set(new pb.PolicyConfig(), { setEnforcementlevel: level, setProperties: Struct.fromJavaScript(config.properties) }));
    }
    await call(client.configure, client, request);

    const response = await call(client.analyze, client, analyzeRequest("aws:cloudwatch/logGroup:LogGroup", "load-logs", { retentionInDays: 30, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k" }));
    const diagnostics = response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));
    const retention = diagnostics.filter((d) => d.policy === "log-group-retention");
    assert.equal(retention.length, 1, JSON.stringify(diagnostics));
    assert.equal(retention[0]!.level, pb.EnforcementLevel.MANDATORY);
    assert.match(retention[0]!.message, /keeps events 30 days; this stack requires 365 to 3653/);
  });

  it("reports a definition that is unknown during a first preview as an advisory it could not check", async () => {
    const response = await call(client.analyze, client, analyzeRequest("aws:sfn/stateMachine:StateMachine", "ingest-state-machine", { definition: UNKNOWN.string, roleArn: "arn:aws:iam::123456789012:role/r" }));
    const task = response.getDiagnosticsList().find((d) => d.getPolicyname() === "sfn-task-retry-catch-timeout");
    assert.ok(task, "the policy reported");
    assert.equal(task.getEnforcementlevel(), pb.EnforcementLevel.ADVISORY);
    assert.match(task.getMessage(), /can't run policy 'sfn-task-retry-catch-timeout' from policy pack 'batch-ingest@v0.1.0' during preview/);
  });
});
