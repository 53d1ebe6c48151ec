import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { validateResourceOfType, type ResourceValidationArgs, type ResourceValidationPolicy, type StackValidationArgs, type StackValidationPolicy } from "@pulumi/policy";
import { UNKNOWN } from "./engine-proxy";
import { evaluatePack } from "./evaluate";
import { reconcilePackConfig } from "./pack-config";
import { runResourcePolicy, runStackPolicy, type PolicySubject } from "./run-policy";

const subject = (type: string, name: string, props: Record<string, unknown>, extra: Partial<PolicySubject> = {}): PolicySubject => ({
  type,
  name,
  urn: `urn:pulumi:test::p::${type}::${name}`,
  props,
  ...extra,
});
const topic = subject("aws:sns/topic:Topic", "alarms", { kmsMasterKeyId: "alias/aws/sns" });

function resourcePolicy(validate: ResourceValidationPolicy["validateResource"]): ResourceValidationPolicy {
  return { name: "probe", description: "Checks whether probing works.", enforcementLevel: "mandatory", validateResource: validate };
}

describe("running a policy as the engine does", () => {
  it("hands a resource validation complete args", async () => {
    let seen: ResourceValidationArgs | undefined;
    await runResourcePolicy(resourcePolicy((args) => void (seen = args)), { ...topic, parent: "urn:parent", opts: { protect: true } }, { limit: 3 });
    assert.ok(seen);
    assert.equal(seen.type, topic.type);
    assert.equal(seen.name, "alarms");
    assert.equal(seen.urn, topic.urn);
    assert.equal(seen.props.kmsMasterKeyId, "alias/aws/sns");
    assert.deepEqual(seen.opts, { protect: true, ignoreChanges: [], aliases: [], customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 }, additionalSecretOutputs: [], parent: "urn:parent" });
    assert.deepEqual(seen.getConfig(), { limit: 3 });
    assert.equal(seen.isType(aws.sns.Topic), true);
    assert.equal(seen.isType(aws.s3.Bucket), false);
    assert.equal(seen.asType(aws.s3.Bucket), undefined);
    assert.equal(seen.asType(aws.sns.Topic)?.kmsMasterKeyId, "alias/aws/sns");
    assert.equal(seen.stackTags.size, 0);
    assert.throws(() => seen!.notApplicable("why"));
  });

  it("reports each violation against the subject", async () => {
    const outcome = await runResourcePolicy(resourcePolicy((_args, report) => { report("one"); report("two"); }), topic);
    assert.deepEqual(outcome.violations, [{ message: "one", urn: topic.urn }, { message: "two", urn: topic.urn }]);
    assert.equal(outcome.ran, 1);
  });

  it("skips a validation bound to another type without calling it, as the engine's fast path does", async () => {
    let called = false;
    const policy = resourcePolicy(validateResourceOfType(aws.s3.Bucket, () => void (called = true)));
    const outcome = await runResourcePolicy(policy, topic);
    assert.equal(called, false);
    assert.deepEqual(outcome.notApplicable, ["Policy only applies to resources of type 'aws:s3/bucket:Bucket'"]);
    assert.equal(outcome.ran, 0);
  });

  it("records notApplicable with its reason", async () => {
    const outcome = await runResourcePolicy(resourcePolicy((args) => args.notApplicable("not here")), topic);
    assert.deepEqual(outcome.notApplicable, ["not here"]);
  });

  it("turns a read of an unknown value into a can't-run finding instead of an error", async () => {
    const outcome = await runResourcePolicy(resourcePolicy((args, report) => report(String(args.props.kmsMasterKeyId))), { ...topic, props: { kmsMasterKeyId: UNKNOWN.string } });
    assert.deepEqual(outcome.violations, []);
    assert.deepEqual(outcome.cannotRun, ["can't run policy 'probe' during preview: string value at .kmsMasterKeyId can't be known during preview"]);
  });

  it("fails loudly, naming the policy, when a policy throws", async () => {
    await assert.rejects(runResourcePolicy(resourcePolicy(() => { throw new TypeError("boom"); }), topic), /policy 'probe' failed: boom/);
  });

  it("gives each validation its own copy of the props", async () => {
    const seen: unknown[] = [];
    const policy = resourcePolicy([(args) => void (args.props.kmsMasterKeyId = "changed"), (args) => void seen.push(args.props.kmsMasterKeyId)]);
    await runResourcePolicy(policy, topic);
    assert.deepEqual(seen, ["alias/aws/sns"]);
    assert.equal(topic.props.kmsMasterKeyId, "alias/aws/sns");
  });

  it("links a stack's parents, dependencies and property dependencies to the resource objects", async () => {
    let seen: StackValidationArgs | undefined;
    const parent = subject("batch-ingest:monitoring:Alarms", "alarms", {});
    const child = { ...topic, parent: parent.urn, dependencies: [parent.urn, "urn:missing"], propertyDependencies: { kmsMasterKeyId: [parent.urn] } };
    const policy: StackValidationPolicy = { name: "probe", description: "Checks whether probing works.", validateStack: (args) => void (seen = args) };
    await runStackPolicy(policy, [parent, child]);
    const [p, c] = seen!.resources;
    assert.equal(c!.parent, p);
    assert.deepEqual(c!.dependencies, [p], "unknown URNs are dropped");
    assert.deepEqual(c!.propertyDependencies.kmsMasterKeyId, [p]);
    assert.equal(c!.isType(aws.sns.Topic), true);
  });
});

describe("evaluating a pack", () => {
  const flag: ResourceValidationPolicy = { name: "flag-topics", description: "Checks whether x.", enforcementLevel: "mandatory", severity: "high", validateResource: validateResourceOfType(aws.sns.Topic, (_t, _a, report) => report("bad topic")) };
  const stackWide: StackValidationPolicy = { name: "stack-wide", description: "Checks whether y.", enforcementLevel: "advisory", validateStack: (_args, report) => report("bad stack") };
  const unknown: ResourceValidationPolicy = { name: "reads-unknown", description: "Checks whether z.", enforcementLevel: "mandatory", validateResource: (args) => void args.props.arn };
  const resources = [{ ...topic, inputs: { kmsMasterKeyId: "k" }, outputs: { kmsMasterKeyId: "k" } }, { type: "aws:sns/topic:Topic", name: "new", urn: "urn:new", inputs: { arn: UNKNOWN.string }, outputs: {} }];

  it("reports at each policy's resolved level, names the resource, and demotes can't-run findings to advisory", async () => {
    const pack = [flag, stackWide, unknown];
    const evaluation = await evaluatePack(pack, resources, reconcilePackConfig(pack));
    assert.deepEqual(evaluation.policies, ["flag-topics", "stack-wide", "reads-unknown"]);
    const summary = evaluation.violations.map((v) => `${v.enforcementLevel} ${v.policy} ${v.resourceName ?? "stack"}`);
    assert.deepEqual(summary, ["mandatory flag-topics alarms", "mandatory flag-topics new", "advisory stack-wide stack", "advisory reads-unknown new"]);
  });

  it("skips disabled policies and treats remediate as mandatory", async () => {
    const pack = [flag, stackWide];
    const config = reconcilePackConfig(pack, new Map([["stack-wide", { enforcementLevel: "disabled" as const, properties: {} }], ["flag-topics", { enforcementLevel: "remediate" as const, properties: {} }]]));
    const evaluation = await evaluatePack(pack, resources, config);
    assert.deepEqual(evaluation.policies, ["flag-topics"]);
    assert.ok(evaluation.violations.every((v) => v.enforcementLevel === "mandatory"));
  });
});
