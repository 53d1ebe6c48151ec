import assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./shared/bundling";
import { mergeTags, releaseTags, TAGGABLE_TYPES, tagTransformation, UNTAGGABLE_TYPES } from "./tags";
import { STACKS, type ProgramRun, type StackName } from "./testing/harness";
import { record } from "./testing/inspect";
import { stackRuns } from "./testing/stack-runs";

/** Whether the installed SDK's args interface for a type token declares `tags`. */
function argsDeclareTags(type: string): boolean {
  const [pkg, module, name] = type.split(":");
  const file = pkg === "awsx" ? join(REPO_ROOT, "node_modules/@pulumi/awsx", module, `${name.charAt(0).toLowerCase()}${name.slice(1)}.d.ts`) : join(REPO_ROOT, "node_modules/@pulumi/aws", `${module}.d.ts`);
  const text = readFileSync(file, "utf8");
  const args = new RegExp(`export interface ${name}Args \\{([\\s\\S]*?)\\n\\}`).exec(text);
  assert.ok(args, `no ${name}Args in ${file}`);
  return /\n\s+tags\?:/.test(args[1]);
}

function resolve<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((done) => output.apply(done));
}

describe("release tags", () => {
  let runs: Record<StackName, ProgramRun>;
  before(async () => {
    runs = await stackRuns();
  });

  it("carry Version, Project, Environment and ManagedBy on every taggable resource of every stack", () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;
    for (const stack of STACKS) {
      const taggable = runs[stack].resources.filter((r) => TAGGABLE_TYPES.includes(r.type));
      assert.ok(taggable.length > 20);
      for (const r of taggable) {
        const tags = record(r.inputs["tags"]);
        assert.deepEqual(
          { Version: tags["Version"], Project: tags["Project"], Environment: tags["Environment"], ManagedBy: tags["ManagedBy"] },
          { Version: version, Project: "batch-ingest", Environment: stack, ManagedBy: "pulumi" },
          `${stack}: ${r.type} ${r.name}`,
        );
      }
    }
  });

  it("leave every resource type the program creates listed as taggable or untaggable", () => {
    const types = new Set(STACKS.flatMap((s) => runs[s].resources.map((r) => r.type)));
    types.delete("pulumi:pulumi:Stack");
    for (const type of types) assert.ok(TAGGABLE_TYPES.includes(type) || UNTAGGABLE_TYPES.includes(type), `${type} is in neither list of infra/tags.ts`);
  });

  it("list a type as taggable exactly when its args in the installed SDK accept tags", () => {
    for (const type of TAGGABLE_TYPES) assert.equal(argsDeclareTags(type), true, `${type} is listed taggable but its args have no tags`);
    for (const type of UNTAGGABLE_TYPES.filter((t) => !t.startsWith("batch-ingest:"))) {
      assert.equal(argsDeclareTags(type), false, `${type} is listed untaggable but its args accept tags`);
    }
  });

  it("keep a resource's own tags but never let it override a release tag", async () => {
    const tags = releaseTags("batch-ingest", "qa", "1.2.3");
    const merged = await resolve(mergeTags({ Handler: "load", Environment: "prod" }, tags));
    assert.deepEqual(merged, { Handler: "load", Version: "1.2.3", Project: "batch-ingest", Environment: "qa", ManagedBy: "pulumi" });
    assert.deepEqual(await resolve(mergeTags(undefined, tags)), { ...tags });
  });

  it("refuse a resource type that is in neither list", () => {
    const transform = tagTransformation(releaseTags("batch-ingest", "dev", "0.1.0"));
    const args = { type: "aws:sqs/queue:Queue", name: "q", props: {}, opts: {} } as unknown as pulumi.ResourceTransformationArgs;
    assert.throws(() => transform(args), /resource type aws:sqs\/queue:Queue is in neither TAGGABLE_TYPES nor UNTAGGABLE_TYPES of infra\/tags\.ts/);
  });
});
