/**
 * The next release, from the Conventional Commits since the last `vX.Y.Z` tag
 * (https://www.conventionalcommits.org/en/v1.0.0/):
 * - a breaking change (`type!:` or a `BREAKING CHANGE:` footer) bumps the major version,
 *   even before 1.0.0, so that a break is never shipped as a compatible upgrade;
 * - `feat` bumps the minor version; `fix` and `perf` bump the patch version;
 * - every other type (docs, chore, ci, test, refactor, build, style, revert) releases nothing.
 *
 * `tsx scripts/release.ts [--dry-run] [--date YYYY-MM-DD]` writes the version into package.json and
 * package-lock.json and prepends a section to CHANGELOG.md; release.yml commits, tags and pushes.
 * Under GitHub Actions it also writes the step outputs `release`, `version`, `tag` and `previous`.
 * `--dry-run` only says whether a release is due (deploy.yml asks it on every push to main).
 */
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type Bump = "major" | "minor" | "patch";

export interface RawCommit {
  readonly hash: string;
  readonly subject: string;
  readonly body: string;
}

export interface ConventionalCommit extends RawCommit {
  readonly type: string;
  readonly scope: string | undefined;
  readonly description: string;
  /** What breaks: the `BREAKING CHANGE:` footer, or the description when only `!` marks it. */
  readonly breaking: string | undefined;
}

export interface ReleasePlan {
  /** Whether the commits since `previous` call for a release. */
  readonly release: boolean;
  /** The version released last (the last tag), or package.json's version before the first tag. */
  readonly previous: string;
  readonly previousTag: string | undefined;
  readonly bump: Bump | undefined;
  readonly version: string | undefined;
  readonly tag: string | undefined;
  readonly commits: readonly ConventionalCommit[];
  /** Commits whose subject is not a Conventional Commit; they release nothing. */
  readonly unconventional: readonly RawCommit[];
}

const HEADER = /^(?<type>[A-Za-z]+)(?:\((?<scope>[^()\r\n]+)\))?(?<bang>!)?: (?<description>\S.*)$/;
const FOOTER_TOKEN = /^(?:BREAKING[ -]CHANGE|[\w-]+)(?:: | #)/;
const BREAKING_TOKEN = /^BREAKING[ -]CHANGE: ?/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const RELEASING_TYPES: Readonly<Record<string, Bump>> = { feat: "minor", fix: "patch", perf: "patch" };
const SECTIONS = [
  { title: "Features", types: ["feat"] },
  { title: "Bug Fixes", types: ["fix"] },
  { title: "Performance Improvements", types: ["perf"] },
] as const;

/** Parses one commit; `undefined` when its subject does not follow Conventional Commits. */
export function parseCommit(raw: RawCommit): ConventionalCommit | undefined {
  const match = HEADER.exec(raw.subject.trim());
  if (!match?.groups) return undefined;
  const { type = "", scope, bang, description = "" } = match.groups;
  const footer = breakingFooter(raw.body);
  const breaking = footer ? footer : bang ? description : undefined;
  return { ...raw, type: type.toLowerCase(), scope: scope?.trim(), description, breaking };
}

/** The text of a `BREAKING CHANGE:` footer; it runs on until the next footer token. */
function breakingFooter(body: string): string | undefined {
  const lines = body.split(/\r?\n/);
  const start = lines.findIndex((line) => BREAKING_TOKEN.test(line));
  if (start === -1) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => FOOTER_TOKEN.test(line));
  const text = [(lines[start] ?? "").replace(BREAKING_TOKEN, ""), ...(end === -1 ? rest : rest.slice(0, end))];
  return text.join("\n").trim() || undefined;
}

/** The largest bump the commits call for, or `undefined` when none of them releases anything. */
export function bumpFor(commits: readonly ConventionalCommit[]): Bump | undefined {
  if (commits.some((c) => c.breaking !== undefined)) return "major";
  const bumps = commits.map((c) => RELEASING_TYPES[c.type]).filter((b): b is Bump => b !== undefined);
  if (bumps.includes("minor")) return "minor";
  return bumps.length > 0 ? "patch" : undefined;
}

export function parseVersion(version: string, where: string): [number, number, number] {
  const match = SEMVER.exec(version);
  if (!match) {
    throw new Error(`${where} is "${version}", not a release version MAJOR.MINOR.PATCH (like 1.4.2); fix it by hand first`);
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function nextVersion(current: string, bump: Bump): string {
  const [major, minor, patch] = parseVersion(current, "the current version");
  if (bump === "major") return `${major + 1}.0.0`;
  if (bump === "minor") return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

export interface SectionOptions {
  readonly version: string;
  readonly previousTag: string | undefined;
  /** `YYYY-MM-DD` */
  readonly date: string;
  /** `https://github.com/<owner>/<repo>`, for compare and commit links; plain text without it. */
  readonly repoUrl: string | undefined;
}

/** The CHANGELOG.md section of one release, in the layout of conventional-changelog. */
export function changelogSection(commits: readonly ConventionalCommit[], options: SectionOptions): string {
  const { version, previousTag, date, repoUrl } = options;
  const title = repoUrl && previousTag ? `[${version}](${repoUrl}/compare/${previousTag}...v${version})` : version;
  const lines = [`## ${title} (${date})`];
  const entry = (commit: ConventionalCommit, text: string): string => {
    const short = commit.hash.slice(0, 7);
    const ref = repoUrl ? `[${short}](${repoUrl}/commit/${commit.hash})` : short;
    return `* ${commit.scope ? `**${commit.scope}:** ` : ""}${text} (${ref})`;
  };
  const breaking = commits.filter((c) => c.breaking !== undefined);
  if (breaking.length > 0) {
    lines.push("", "### ⚠ BREAKING CHANGES", "", ...breaking.map((c) => entry(c, c.breaking ?? c.description)));
  }
  for (const section of SECTIONS) {
    const listed = commits.filter((c) => (section.types as readonly string[]).includes(c.type));
    if (listed.length > 0) lines.push("", `### ${section.title}`, "", ...listed.map((c) => entry(c, c.description)));
  }
  return lines.join("\n") + "\n";
}

const CHANGELOG_HEADER =
  "# Changelog\n\nEvery release of batch-ingest, newest first. Written by `scripts/release.ts` from the\nConventional Commits since the previous tag; see docs/releasing.md.\n";

/** Puts the section above the newest release, keeping the file's header. */
export function prependSection(changelog: string | undefined, section: string): string {
  const text = changelog ?? CHANGELOG_HEADER;
  const first = text.search(/^## /m);
  if (first === -1) return `${text.trimEnd()}\n\n${section}`;
  return `${text.slice(0, first)}${section}\n${text.slice(first)}`;
}

function git(cwd: string, args: readonly string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The highest `vX.Y.Z` tag reachable from HEAD (pre-release and other tags are ignored). */
export function lastReleaseTag(cwd: string): string | undefined {
  const tags = git(cwd, ["tag", "--merged", "HEAD", "--list", "v*"])
    .split("\n")
    .map((t) => t.trim())
    .filter((t) => SEMVER.test(t.slice(1)));
  const key = (tag: string): number[] => tag.slice(1).split(".").map(Number);
  tags.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return (x[0] - y[0]) || (x[1] - y[1]) || (x[2] - y[2]);
  });
  return tags.at(-1);
}

/** Commits in `since..HEAD` (all of HEAD without a tag), oldest first, merges left out. */
export function commitsSince(cwd: string, since: string | undefined): RawCommit[] {
  const range = since ? [`${since}..HEAD`] : ["HEAD"];
  const out = git(cwd, ["log", "--no-merges", "--reverse", "--format=%H%x1f%s%x1f%b%x1e", ...range]);
  return out
    .split("\x1e")
    .map((record) => record.replace(/^\n/, ""))
    .filter((record) => record.length > 0)
    .map((record) => {
      const [hash = "", subject = "", body = ""] = record.split("\x1f");
      return { hash, subject, body: body.trim() };
    });
}

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** What the commits since the last release call for; reads the repository and writes nothing. */
export function planRelease(cwd: string): ReleasePlan {
  const pkgVersion = readJson(join(cwd, "package.json")).version;
  if (typeof pkgVersion !== "string") throw new Error(`package.json has no "version": add "version": "0.1.0"`);
  parseVersion(pkgVersion, "package.json's version");
  const previousTag = lastReleaseTag(cwd);
  if (previousTag && previousTag !== `v${pkgVersion}`) {
    throw new Error(
      `package.json's version is ${pkgVersion} but the last release tag is ${previousTag}: ` +
        `versions change only through scripts/release.ts; set package.json back to ${previousTag.slice(1)}`,
    );
  }
  const raw = commitsSince(cwd, previousTag);
  const commits: ConventionalCommit[] = [];
  const unconventional: RawCommit[] = [];
  for (const commit of raw) {
    const parsed = parseCommit(commit);
    if (parsed) commits.push(parsed);
    else unconventional.push(commit);
  }
  const bump = bumpFor(commits);
  const version = bump ? nextVersion(pkgVersion, bump) : undefined;
  const tag = version ? `v${version}` : undefined;
  if (tag && git(cwd, ["tag", "--list", tag]).trim() === tag) {
    throw new Error(`tag ${tag} exists already but is not reachable from HEAD: release from the branch that holds it`);
  }
  return { release: bump !== undefined, previous: pkgVersion, previousTag, bump, version, tag, commits, unconventional };
}

export interface ApplyOptions {
  readonly date: string;
  readonly repoUrl: string | undefined;
}

/** Writes the plan's version into package.json and package-lock.json and prepends CHANGELOG.md. */
export function applyRelease(cwd: string, plan: ReleasePlan, options: ApplyOptions): void {
  if (!plan.version) return;
  const pkgPath = join(cwd, "package.json");
  writeFileSync(pkgPath, JSON.stringify({ ...readJson(pkgPath), version: plan.version }, null, 2) + "\n");
  const lockPath = join(cwd, "package-lock.json");
  if (existsSync(lockPath)) {
    const lock = readJson(lockPath);
    const packages = lock.packages as Record<string, Record<string, unknown>> | undefined;
    if (packages?.[""]) packages[""].version = plan.version;
    writeFileSync(lockPath, JSON.stringify({ ...lock, version: plan.version }, null, 2) + "\n");
  }
  const changelogPath = join(cwd, "CHANGELOG.md");
  const section = changelogSection(plan.commits, { version: plan.version, previousTag: plan.previousTag, ...options });
  const current = existsSync(changelogPath) ? readFileSync(changelogPath, "utf8") : undefined;
  writeFileSync(changelogPath, prependSection(current, section));
}

export function describePlan(plan: ReleasePlan): string {
  const from = plan.previousTag ?? `${plan.previous} (no release tag yet)`;
  const lines = plan.release
    ? [`next release: v${plan.version} (${plan.bump} bump from ${from})`]
    : [`no release due: none of the ${plan.commits.length + plan.unconventional.length} commits since ${from} is a feat, fix, perf or breaking change`];
  for (const c of plan.unconventional) {
    lines.push(`  not a Conventional Commit, releases nothing: ${c.hash.slice(0, 7)} "${c.subject}"`);
  }
  return lines.join("\n");
}

function main(argv: readonly string[]): void {
  const dryRun = argv.includes("--dry-run");
  const dateIndex = argv.indexOf("--date");
  const date = dateIndex >= 0 ? argv[dateIndex + 1] ?? "" : new Date().toISOString().slice(0, 10);
  const unknown = argv.filter((a, i) => a !== "--dry-run" && a !== "--date" && (dateIndex < 0 || i !== dateIndex + 1));
  if (unknown.length > 0 || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new Error(`usage: tsx scripts/release.ts [--dry-run] [--date YYYY-MM-DD]; got: ${argv.join(" ")}`);
  }
  const cwd = process.cwd();
  const plan = planRelease(cwd);
  console.log(describePlan(plan));
  if (!dryRun) {
    const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo } = process.env;
    applyRelease(cwd, plan, { date, repoUrl: server && repo ? `${server}/${repo}` : undefined });
  }
  if (process.env.GITHUB_OUTPUT) {
    const outputs = { release: String(plan.release), version: plan.version ?? "", tag: plan.tag ?? "", previous: plan.previous };
    appendFileSync(process.env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(""));
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`release: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
