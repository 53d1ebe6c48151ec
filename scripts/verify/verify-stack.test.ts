import { GetAliasCommand, LambdaServiceException } from "@aws-sdk/client-lambda";
import { GetResourcesCommand, ResourceGroupsTaggingAPIServiceException } from "@aws-sdk/client-resource-groups-tagging-api";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { writeFixtureBundles } from "../../infra/testing/fixture-bundles";
import { readDefinitionTemplate } from "../../step-functions/ingest/definition";
import type { VerifyClients } from "./deployed";
import { EXIT_CODES, VerifyError } from "./errors";
import { expectedCodeHashes, type ExpectedStack } from "./expected";
import { ACCOUNT, deployedDefinition, functionArn, matchingWorld, mockAws, REGION, stackTags, type World } from "./fake-aws";
import type { VerifyReport } from "./report";
import { verifyStack } from "./verify-stack";

let distDir: string;
let expected: ExpectedStack;

before(() => {
  distDir = writeFixtureBundles();
  expected = {
    project: "batch-ingest",
    stack: "dev",
    version: "0.2.0",
    codeSha256: expectedCodeHashes(distDir),
    inventory: {
      counts: { "lambda:function": 4, "states:stateMachine": 1, "dynamodb:table": 1, "s3:bucket": 1, "logs:log-group": 5 },
      notListed: { "aws:iam/role:Role": 5 },
    },
    definitionTemplate: readDefinitionTemplate(),
  };
});
after(() => rmSync(distDir, { recursive: true, force: true }));

const target = { project: "batch-ingest", stack: "dev", region: REGION, stackRegion: REGION };

function verify(world: World): Promise<VerifyReport> {
  return verifyStack(mockAws(world).clients, target, async () => expected);
}

const failing = (report: VerifyReport): string[] => report.checks.filter((c) => !c.ok).map((c) => c.check);
const row = (report: VerifyReport, check: string): { expected: string; deployed: string } => {
  const found = report.checks.find((c) => c.check === check);
  assert.ok(found, `no check "${check}" in: ${report.checks.map((c) => c.check).join(" | ")}`);
  return found;
};

/** Replaces one function of the world. */
function withFunction(world: World, handler: string, change: (f: World["functions"][number]) => World["functions"][number] | undefined): World {
  const functions = world.functions.flatMap((f) => (f.tags.Handler === handler ? [change(f)].filter((x) => x !== undefined) : [f]));
  return { ...world, functions };
}

describe("verifyStack against a deployed stack", () => {
  const scenarios: { name: string; world: () => World; failing: string[]; check?: (r: VerifyReport) => void }[] = [
    {
      name: "reports a match when everything deployed is what the repository holds",
      world: () => matchingWorld(expected),
      failing: [],
      check: (r) => {
        assert.equal(r.ok, true);
        assert.equal(r.account, ACCOUNT);
        assert.deepEqual(row(r, "Version tag on all 12 resources"), { check: "Version tag on all 12 resources", expected: "0.2.0", deployed: "0.2.0", ok: true });
        assert.deepEqual(r.notes, ["5 aws:iam/role:Role not counted: the Tagging API does not list this type (the program still tags it)"]);
      },
    },
    {
      name: "finds every resource across the pages of the Tagging API",
      world: () => ({ ...matchingWorld(expected), pageSize: 1 }),
      failing: [],
    },
    {
      name: "flags a stale Version tag on each resource that carries it",
      world: () => withFunction(matchingWorld(expected), "load", (f) => ({ ...f, tags: { ...f.tags, Version: "0.1.0" } })),
      failing: ["Version tag of lambda:function batch-ingest-dev-load-4a7e01f"],
      check: (r) => assert.equal(row(r, "Version tag of lambda:function batch-ingest-dev-load-4a7e01f").deployed, "0.1.0"),
    },
    {
      name: "flags drifted code behind the live alias",
      world: () =>
        withFunction(matchingWorld(expected), "transform", (f) => ({ ...f, latestCodeSha256: "q0Xz2bUq4nS8f3xO9ZkC1m7r1vQd2wP5hJ6tL8yA0cE=", live: { version: "8", codeSha256: "q0Xz2bUq4nS8f3xO9ZkC1m7r1vQd2wP5hJ6tL8yA0cE=" } })),
      failing: ["code of transform (live -> v8)"],
      check: (r) => assert.deepEqual(row(r, "code of transform (live -> v8)").deployed, "q0Xz2bUq4nS8f3xO9ZkC1m7r1vQd2wP5hJ6tL8yA0cE="),
    },
    {
      name: "flags a live alias left on an older version than the latest code",
      world: () => withFunction(matchingWorld(expected), "report", (f) => ({ ...f, live: { version: "6", codeSha256: "b2xkIGNvZGUgb2xkIGNvZGUgb2xkIGNvZGUgb2xkIGM=" } })),
      failing: ["code of report (live -> v6)", "live alias of report"],
      check: (r) => assert.match(row(r, "live alias of report").deployed, /^v6, but \$LATEST has /),
    },
    {
      name: "flags a drifted definition and names the first difference",
      world: () => {
        const world = matchingWorld(expected);
        const [machine] = world.stateMachines;
        assert.ok(machine);
        const drifted = JSON.parse(machine.latestDefinition) as { States: { Load: { TimeoutSeconds: number } } };
        drifted.States.Load.TimeoutSeconds = 900;
        const text = JSON.stringify(drifted);
        return { ...world, stateMachines: [{ ...machine, latestDefinition: text, live: { routes: { "4": 100 }, versions: { "4": text } } }] };
      },
      failing: ["definition of the state machine", "definition behind live (v4)"],
      check: (r) => assert.match(row(r, "definition behind live (v4)").deployed, /first difference at States\.Load\.TimeoutSeconds: 900 instead of 930$/),
    },
    {
      name: "flags a live alias of the state machine that splits traffic",
      world: () => {
        const world = matchingWorld(expected);
        const machine = world.stateMachines[0];
        assert.ok(machine?.live);
        return { ...world, stateMachines: [{ ...machine, live: { routes: { "3": 90, "2": 10 }, versions: machine.live.versions } }] };
      },
      failing: ["live alias of the state machine"],
      check: (r) => assert.equal(row(r, "live alias of the state machine").deployed, "v2 10%, v3 90%"),
    },
    {
      name: "flags an extra resource and an extra function unknown to the program",
      world: () => {
        const world = matchingWorld(expected);
        const queue = `arn:aws:sqs:${REGION}:${ACCOUNT}:batch-ingest-dev-retry`;
        const legacy = { name: "batch-ingest-dev-legacy-0b1c2d3", tags: stackTags(expected, { Handler: "legacy" }), latestCodeSha256: "x", live: undefined };
        return { ...world, functions: [...world.functions, legacy], others: { ...world.others, [queue]: stackTags(expected) } };
      },
      failing: ["lambda:function resources", "sqs:queue resources", "function batch-ingest-dev-legacy-0b1c2d3"],
      check: (r) => {
        assert.equal(row(r, "sqs:queue resources").deployed, "1 unknown to the program: batch-ingest-dev-retry");
        assert.match(row(r, "lambda:function resources").deployed, /^5 \(1 unknown to the program\): /);
      },
    },
    {
      name: "flags a missing resource, and the definition it leaves unfillable",
      world: () => withFunction(matchingWorld(expected), "load", () => undefined),
      failing: ["lambda:function resources", "function load", "definition of the state machine"],
      check: (r) => {
        assert.match(row(r, "lambda:function resources").deployed, /^3 \(1 missing\): /);
        assert.equal(row(r, "function load").deployed, "missing");
        assert.equal(row(r, "definition of the state machine").deployed, "cannot compare: no the live alias of load deployed");
      },
    },
    {
      name: "ignores a tag-index entry whose function was deleted, with a note",
      world: () => {
        const world = matchingWorld(expected);
        const ghost = { name: "batch-ingest-dev-old-5e6f7a8", tags: stackTags(expected, { Handler: "validate" }), latestCodeSha256: "x", live: undefined, deleted: true };
        return { ...world, functions: [...world.functions, ghost] };
      },
      failing: [],
      check: (r) => assert.ok(r.notes.includes(`ignored ${functionArn("batch-ingest-dev-old-5e6f7a8")}: still in the tag index, but the resource no longer exists`)),
    },
  ];

  for (const s of scenarios) {
    it(s.name, async () => {
      const report = await verify(s.world());
      assert.deepEqual(failing(report), s.failing);
      assert.equal(report.ok, s.failing.length === 0);
      s.check?.(report);
    });
  }

  it("builds the world's definition from the live alias ARNs and the table name, as the program does", () => {
    const world = matchingWorld(expected);
    const names = Object.fromEntries(world.functions.map((f) => [f.tags.Handler ?? "", f.name]));
    assert.equal(world.stateMachines[0]?.latestDefinition, deployedDefinition(expected, names));
    assert.match(deployedDefinition(expected, names), /"Resource": "arn:aws:lambda:eu-west-1:123456789012:function:batch-ingest-dev-validate-8a7e01f:live"/);
  });
});

describe("verifyStack errors", () => {
  async function failure(clients: VerifyClients, loadExpected: () => Promise<ExpectedStack> = async () => expected): Promise<VerifyError> {
    try {
      await verifyStack(clients, target, loadExpected);
    } catch (err) {
      assert.ok(err instanceof VerifyError, `expected a VerifyError, got ${String(err)}`);
      return err;
    }
    assert.fail("verifyStack succeeded but should have failed");
  }

  it("says how to sign in when there are no credentials, before computing the repository side", async () => {
    const { clients, stubs } = mockAws(matchingWorld(expected));
    const noCredentials = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    stubs.sts.on(GetCallerIdentityCommand).rejects(noCredentials);
    let loaded = false;
    const err = await failure(clients, async () => ((loaded = true), expected));
    assert.equal(err.exitCode, EXIT_CODES.noCredentials);
    assert.match(err.message, /no usable AWS credentials \(CredentialsProviderError: Could not load credentials from any providers\)\. Sign in first: `aws sso login/);
    assert.equal(loaded, false);
  });

  it("names the missing permission when the Tagging API denies access", async () => {
    const { clients, stubs } = mockAws(matchingWorld(expected));
    // The SDK has no class for this error: it is the service's base exception, named by the response.
    const denied = new ResourceGroupsTaggingAPIServiceException({
      name: "AccessDeniedException",
      $fault: "client",
      $metadata: { httpStatusCode: 400, requestId: "5f1e0c1a-4b9d-4a55-9d0e-6f2c9b1d7a31" },
      message: `User: arn:aws:sts::${ACCOUNT}:assumed-role/readonly/ci is not authorized to perform: tag:GetResources because no identity-based policy allows the tag:GetResources action`,
    });
    stubs.tagging.on(GetResourcesCommand).rejects(denied);
    const err = await failure(clients);
    assert.equal(err.exitCode, EXIT_CODES.accessDenied);
    assert.match(err.message, /^access denied: the credentials lack tag:GetResources\. Grant it .*docs\/releasing\.md/);
  });

  it("names the permission and the resource when Lambda denies access", async () => {
    const { clients, stubs } = mockAws(matchingWorld(expected));
    const fn = functionArn("batch-ingest-dev-validate-8a7e01f");
    const message = `User: arn:aws:sts::${ACCOUNT}:assumed-role/readonly/ci is not authorized to perform: lambda:GetAlias on resource: ${fn} because no identity-based policy allows the lambda:GetAlias action`;
    stubs.lambda.on(GetAliasCommand).rejects(new LambdaServiceException({ name: "AccessDeniedException", $fault: "client", $metadata: { httpStatusCode: 403 }, message }));
    const err = await failure(clients);
    assert.equal(err.exitCode, EXIT_CODES.accessDenied);
    assert.match(err.message, new RegExp(`lack lambda:GetAlias on ${fn.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\.`));
  });

  const regions: { name: string; stackRegion: string | undefined; says: RegExp }[] = [
    { name: "points at the stack's own region when another one was searched", stackRegion: "us-east-1", says: /in region eu-west-1 \(account 123456789012\)\. Pulumi\.dev\.yaml deploys the stack to us-east-1: run again with --region us-east-1$/ },
    { name: "asks about the account and the region when the stack's region was searched", stackRegion: REGION, says: /in region eu-west-1 .*Pick the account with AWS_PROFILE, and the region with --region <region>/ },
  ];
  for (const c of regions) {
    it(`finds nothing tagged in the region searched and ${c.name}`, async () => {
      const world = { ...matchingWorld(expected), functions: [], stateMachines: [], others: {} };
      try {
        await verifyStack(mockAws(world).clients, { ...target, stackRegion: c.stackRegion }, async () => expected);
        assert.fail("should have failed");
      } catch (err) {
        assert.ok(err instanceof VerifyError);
        assert.equal(err.exitCode, EXIT_CODES.nothingDeployed);
        assert.match(err.message, /^nothing tagged Project=batch-ingest, Environment=dev in region eu-west-1/);
        assert.match(err.message, c.says);
      }
    });
  }
});
