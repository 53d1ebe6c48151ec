import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { HANDLER_NAMES, type HandlerName, REPO_ROOT } from "../../infra/shared/bundling";
import { bundleZip, resolveDistDir } from "../../infra/shared/zip";
import { PROJECT, readStackFile, runProgram, STACKS, type StackName } from "../../infra/testing/harness";
import { readDefinitionTemplate } from "../../step-functions/ingest/definition";
import { RepositoryError, UsageError } from "./errors";
import { type DeclaredResource, expectedInventory, type Inventory } from "./resource-types";

/** The repository side of a stack: what `pulumi up` of this checkout would have deployed. */
export interface ExpectedStack {
  readonly project: string;
  readonly stack: string;
  /** package.json's version: every resource's `Version` tag. */
  readonly version: string;
  /** Base64 sha256 of each handler's deterministic zip: what Lambda reports as `CodeSha256`. */
  readonly codeSha256: Readonly<Record<HandlerName, string>>;
  /** The resources the program declares, counted by the type the Tagging API reports. */
  readonly inventory: Inventory;
  /** `definition.asl.json` with its `${Placeholders}`, substituted with the deployed ARNs later. */
  readonly definitionTemplate: string;
}

export function isStackName(stack: string): stack is StackName {
  return (STACKS as readonly string[]).includes(stack);
}

export function packageVersion(root: string = REPO_ROOT): string {
  const pkg: unknown = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const version = typeof pkg === "object" && pkg !== null && "version" in pkg ? pkg.version : undefined;
  if (typeof version !== "string") throw new RepositoryError(`package.json has no "version"`);
  return version;
}

/** The stack's `aws:region` from `Pulumi.<stack>.yaml`; `undefined` without the file or the key. */
export function stackRegion(stack: StackName, root: string = REPO_ROOT): string | undefined {
  if (!existsSync(join(root, `Pulumi.${stack}.yaml`))) return undefined;
  return readStackFile(stack, root).config["aws:region"];
}

/** `CodeSha256` of each handler as the program would upload it, from the bundles in `distDir`. */
export function expectedCodeHashes(distDir: string = resolveDistDir()): Record<HandlerName, string> {
  const hashes = {} as Record<HandlerName, string>;
  for (const name of HANDLER_NAMES) {
    try {
      hashes[name] = bundleZip(name, distDir).codeSha256;
    } catch (err) {
      throw new RepositoryError(`cannot compute the code hash of "${name}": ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
  }
  return hashes;
}

/**
 * Runs the program offline (Pulumi mocks) to learn which resources it declares. Encrypted config
 * values are replaced by placeholders: they never decide which resources exist.
 */
export async function declaredResources(stack: StackName, distDir?: string): Promise<DeclaredResource[]> {
  try {
    const secrets = Object.fromEntries(readStackFile(stack).secureKeys.map((key) => [key, "verify-placeholder"]));
    const run = await runProgram(stack, { distDir, secrets });
    return run.resources;
  } catch (err) {
    throw new RepositoryError(`the Pulumi program fails to run offline for stack "${stack}": ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

export async function readExpectedStack(stack: string, distDir: string = resolveDistDir()): Promise<ExpectedStack> {
  if (!isStackName(stack)) throw new UsageError(`unknown stack "${stack}": pass one of ${STACKS.join(", ")}`);
  const codeSha256 = expectedCodeHashes(distDir);
  const inventory = expectedInventory(await declaredResources(stack, distDir));
  return { project: PROJECT, stack, version: packageVersion(), codeSha256, inventory, definitionTemplate: readDefinitionTemplate() };
}
