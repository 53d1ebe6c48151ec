import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./shared/bundling";

/** Semantic version as the release process writes it from the `vX.Y.Z` tag (prereleases allowed). */
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/**
 * The release version: `version` in package.json, which the release process sets from the
 * `vX.Y.Z` git tag. It tags every resource, reaches the report handler as RELEASE_VERSION and is a
 * stack output, so a deployed stack always says which release it runs.
 */
export function releaseVersion(packageJsonPath: string = join(REPO_ROOT, "package.json")): string {
  const parsed: unknown = JSON.parse(readFileSync(packageJsonPath, "utf8"));
  const version = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>)["version"] : undefined;
  if (typeof version !== "string" || !SEMVER.test(version)) {
    throw new Error(`package.json version is ${JSON.stringify(version)}; allowed: a semantic version such as 1.4.2 (the release process sets it from the vX.Y.Z tag)`);
  }
  return version;
}
