/**
 * Release tags: `Project`, `Environment`, `Version` and `ManagedBy` on every taggable resource, and
 * `Version` a valid SemVer (the release process sets it from the `vX.Y.Z` git tag). Which types are
 * taggable comes from the program's own list (`infra/tags.ts`), plus the resources awsx creates out of
 * the program's sight, plus anything that arrives with a `tags` input.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { TAGGABLE_TYPES } from "../infra/tags";
import { settingsOf } from "./lib/settings";
import { fsbp } from "./lib/citations";
import { isRecord, parseDocument, show } from "./lib/props";

/** Created by awsx's Vpc in its own process (so never seen by the program's tag list); tagged through awsx's `tags`. */
export const AWSX_CHILD_TAGGABLE_TYPES: readonly string[] = [
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
];

const TAGGABLE = new Set([...TAGGABLE_TYPES, ...AWSX_CHILD_TAGGABLE_TYPES]);

export const REQUIRED_TAGS = ["Project", "Environment", "Version", "ManagedBy"];

function tagMap(value: unknown): Record<string, unknown> {
  const parsed = parseDocument(value);
  return parsed.ok && isRecord(parsed.value) ? parsed.value : {};
}

/**
 * The tags a resource will carry: its own `tags`, the computed `tagsAll` when the engine has it, and
 * the provider's `defaultTags` (explicit providers send their config as JSON strings).
 */
export function effectiveTags(args: ResourceValidationArgs): Record<string, unknown> {
  const provider: unknown = args.provider?.props.defaultTags;
  return { ...tagMap(tagMap(provider).tags), ...tagMap(args.props.tagsAll), ...tagMap(args.props.tags) };
}

function isTaggable(args: ResourceValidationArgs): boolean {
  return TAGGABLE.has(args.type) || "tags" in args.props || "tagsAll" in args.props;
}

export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description: "Checks whether every taggable resource carries the release tags Project, Environment, Version and ManagedBy, each non-empty.",
  enforcementLevel: "mandatory",
  severity: "low",
  ...fsbp("Lambda.6", "Lambda functions should be tagged (and the matching control of each service, with requiredTagKeys)", "AWS Resource Tagging Standard v1.0.0"),
  configSchema: {
    properties: {
      requiredTags: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1, uniqueItems: true, default: REQUIRED_TAGS, description: "Tag keys every taggable resource must carry." },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!isTaggable(args)) args.notApplicable(`resources of type ${args.type} take no tags`);
    const { requiredTags: keys } = settingsOf<{ requiredTags: string[] }>(requiredTags, args);
    const tags = effectiveTags(args);
    const missing = keys.filter((k) => typeof tags[k] !== "string" || (tags[k] as string).trim() === "");
    if (missing.length > 0) {
      reportViolation(`${args.name} (${args.type}) lacks the tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: the program's stack transformation (infra/tags.ts) adds them to every type in TAGGABLE_TYPES`);
    }
  },
};

/** SemVer 2.0.0 (semver.org's own expression): no leading `v`, no leading zeros. */
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const versionTagSemver: ResourceValidationPolicy = {
  name: "version-tag-semver",
  description: "Checks whether the Version tag of every tagged resource is a SemVer 2.0.0 version such as 1.4.0.",
  enforcementLevel: "mandatory",
  severity: "low",
  // Tag values are this project's rule; the nearest control asks for the tag keys.
  ...fsbp("Lambda.6", "Nearest control (tag keys only): Lambda functions should be tagged", "AWS Resource Tagging Standard v1.0.0"),
  validateResource: (args, reportViolation) => {
    if (!isTaggable(args)) args.notApplicable(`resources of type ${args.type} take no tags`);
    const version = effectiveTags(args).Version;
    if (version === undefined) args.notApplicable("no Version tag (required-tags reports it)");
    if (typeof version !== "string" || !SEMVER.test(version)) {
      reportViolation(`${args.name} has Version tag ${show(version)}, which is not SemVer: use MAJOR.MINOR.PATCH such as 1.4.0 (the release tag without its "v")`);
    }
  },
};

export const tagPolicies = [requiredTags, versionTagSemver];
