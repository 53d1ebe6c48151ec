import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  applyRelease,
  bumpFor,
  changelogSection,
  type ConventionalCommit,
  nextVersion,
  parseCommit,
  planRelease,
  prependSection,
} from "./release";

const HASH = "0123456789abcdef0123456789abcdef01234567";

function commit(subject: string, body = ""): ConventionalCommit {
  const parsed = parseCommit({ hash: HASH, subject, body });
  assert.ok(parsed, `"${subject}" should parse`);
  return parsed;
}

describe("release: Conventional Commits to the next version", () => {
  describe("parseCommit", () => {
    const cases: { subject: string; body?: string; type?: string; scope?: string; description?: string; breaking?: string }[] = [
      { subject: "feat: stream large files", type: "feat", description: "stream large files" },
      { subject: "fix(verify): name the missing permission", type: "fix", scope: "verify", description: "name the missing permission" },
      { subject: "Feat(Load): batch writes", type: "feat", scope: "Load", description: "batch writes" },
      { subject: "feat(api)!: drop v1 events", type: "feat", scope: "api", description: "drop v1 events", breaking: "drop v1 events" },
      {
        subject: "refactor: rename the table key",
        body: "Moves PK to JOB#.\n\nBREAKING CHANGE: items written before this change\nare not read any more.\nRefs: #12",
        type: "refactor",
        breaking: "items written before this change\nare not read any more.",
      },
      { subject: "fix: x", body: "BREAKING-CHANGE: the footer may use a hyphen", type: "fix", breaking: "the footer may use a hyphen" },
    ];
    for (const c of cases) {
      it(`reads "${c.subject}"`, () => {
        const parsed = commit(c.subject, c.body);
        assert.equal(parsed.type, c.type);
        if (c.scope !== undefined) assert.equal(parsed.scope, c.scope);
        if (c.description !== undefined) assert.equal(parsed.description, c.description);
        assert.equal(parsed.breaking, c.breaking);
      });
    }

    for (const subject of ["Update README", "feat:missing space", "feat(): empty scope", "Merge branch 'main' into x", ": no type"]) {
      it(`rejects "${subject}" as not a Conventional Commit`, () => {
        assert.equal(parseCommit({ hash: HASH, subject, body: "" }), undefined);
      });
    }

    it("does not take a lowercase `breaking change:` line for the footer", () => {
      assert.equal(commit("fix: y", "breaking change: not the token").breaking, undefined);
    });
  });

  describe("bumpFor and nextVersion", () => {
    const cases: { subjects: string[]; bump: ReturnType<typeof bumpFor>; from: string; to?: string }[] = [
      { subjects: ["docs: typo", "chore: deps", "ci: cache", "test: more", "refactor: split"], bump: undefined, from: "1.2.3" },
      { subjects: ["fix: a", "docs: b"], bump: "patch", from: "1.2.3", to: "1.2.4" },
      { subjects: ["perf: faster"], bump: "patch", from: "0.1.0", to: "0.1.1" },
      { subjects: ["fix: a", "feat: b"], bump: "minor", from: "1.2.3", to: "1.3.0" },
      { subjects: ["feat: b", "fix!: c"], bump: "major", from: "1.2.3", to: "2.0.0" },
      { subjects: ["chore!: drop node 18"], bump: "major", from: "0.4.1", to: "1.0.0" },
    ];
    for (const c of cases) {
      it(`bumps ${c.from} ${c.bump ? `to ${c.to}` : "not at all"} for ${c.subjects.join(", ")}`, () => {
        const bump = bumpFor(c.subjects.map((s) => commit(s)));
        assert.equal(bump, c.bump);
        if (bump) assert.equal(nextVersion(c.from, bump), c.to);
      });
    }

    for (const bad of ["1.2", "v1.2.3", "1.2.3-rc.1", "01.2.3"]) {
      it(`refuses the non-release version "${bad}" with the fix`, () => {
        assert.throws(() => nextVersion(bad, "patch"), /is "[^"]+", not a release version MAJOR\.MINOR\.PATCH.*fix it by hand/);
      });
    }
  });

  describe("changelogSection", () => {
    const commits = [
      commit("feat(verify): compare the live aliases"),
      { ...commit("fix: name the region searched"), hash: "fedcba9876543210fedcba9876543210fedcba98" },
      commit("docs: explain rollback"),
      commit("feat!: drop --profile", "BREAKING CHANGE: use AWS_PROFILE instead"),
    ];

    it("groups breaking changes, features and fixes, with compare and commit links", () => {
      const section = changelogSection(commits, {
        version: "1.0.0",
        previousTag: "v0.3.0",
        date: "2026-12-04",
        repoUrl: "https://github.com/acme/batch-ingest",
      });
      const link = (h: string): string => `[${h.slice(0, 7)}](https://github.com/acme/batch-ingest/commit/${h})`;
      assert.equal(
        section,
        [
          "## [1.0.0](https://github.com/acme/batch-ingest/compare/v0.3.0...v1.0.0) (2026-12-04)",
          "",
          "### ⚠ BREAKING CHANGES",
          "",
          `* use AWS_PROFILE instead (${link(HASH)})`,
          "",
          "### Features",
          "",
          `* **verify:** compare the live aliases (${link(HASH)})`,
          `* drop --profile (${link(HASH)})`,
          "",
          "### Bug Fixes",
          "",
          `* name the region searched (${link("fedcba9876543210fedcba9876543210fedcba98")})`,
          "",
        ].join("\n"),
      );
    });

    it("writes plain short hashes and no compare link without a repository URL or previous tag", () => {
      const section = changelogSection([commits[1]!], { version: "0.1.1", previousTag: undefined, date: "2026-12-04", repoUrl: undefined });
      assert.equal(section, "## 0.1.1 (2026-12-04)\n\n### Bug Fixes\n\n* name the region searched (fedcba9)\n");
    });
  });

  describe("prependSection", () => {
    const section = "## 0.2.0 (2026-12-04)\n\n### Features\n\n* x (abc1234)\n";
    it("creates the changelog with its header when there is none", () => {
      const text = prependSection(undefined, section);
      assert.match(text, /^# Changelog\n/);
      assert.ok(text.endsWith(`\n\n${section}`));
    });
    it("puts the new section above the newest release and keeps the header", () => {
      const old = "# Changelog\n\nIntro.\n\n## 0.1.0 (2026-11-01)\n\n* first\n";
      assert.equal(prependSection(old, section), `# Changelog\n\nIntro.\n\n${section}\n## 0.1.0 (2026-11-01)\n\n* first\n`);
    });
  });
});

describe("release: against a git repository", () => {
  let dir: string;
  const env = { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
  const git = (...args: string[]): string => execFileSync("git", ["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false", ...args], { cwd: dir, env, encoding: "utf8" });
  const commitFile = (subject: string, body = ""): void => {
    writeFileSync(join(dir, "notes.txt"), `${subject}\n${Math.random()}\n`);
    git("add", "-A");
    git("commit", "-q", "-m", subject, ...(body ? ["-m", body] : []));
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "release-test-"));
    git("init", "-q", "-b", "main");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x", version: "0.1.0", private: true }, null, 2) + "\n");
    writeFileSync(join(dir, "package-lock.json"), JSON.stringify({ name: "x", version: "0.1.0", lockfileVersion: 3, packages: { "": { name: "x", version: "0.1.0" } } }, null, 2) + "\n");
    commitFile("chore: skeleton");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("releases from package.json's version when nothing is tagged yet", () => {
    commitFile("feat: ingest JSON Lines");
    const plan = planRelease(dir);
    assert.deepEqual([plan.release, plan.previous, plan.previousTag, plan.version, plan.tag], [true, "0.1.0", undefined, "0.2.0", "v0.2.0"]);
  });

  it("counts only the commits since the last tag and ignores non-release tags", () => {
    commitFile("feat: one");
    git("tag", "v0.1.0", "HEAD~1");
    git("tag", "v9.0.0-rc.1");
    git("tag", "nightly");
    commitFile("fix: two");
    const plan = planRelease(dir);
    assert.equal(plan.previousTag, "v0.1.0");
    assert.deepEqual(plan.commits.map((c) => c.description), ["one", "two"]);
    assert.equal(plan.version, "0.2.0");
  });

  it("reports nothing due, and lists the commits that are not Conventional Commits", () => {
    git("tag", "v0.1.0");
    commitFile("docs: how to roll back");
    commitFile("Tweak things");
    const plan = planRelease(dir);
    assert.equal(plan.release, false);
    assert.equal(plan.version, undefined);
    assert.deepEqual(plan.unconventional.map((c) => c.subject), ["Tweak things"]);
  });

  it("refuses a package.json version that disagrees with the last tag", () => {
    git("tag", "v0.3.0");
    commitFile("fix: y");
    assert.throws(() => planRelease(dir), /package\.json's version is 0\.1\.0 but the last release tag is v0\.3\.0.*set package\.json back to 0\.3\.0/);
  });

  it("writes the version into package.json and package-lock.json and prepends CHANGELOG.md", () => {
    git("tag", "v0.1.0");
    commitFile("fix(load): retry unprocessed items");
    writeFileSync(join(dir, "CHANGELOG.md"), "# Changelog\n\n## 0.1.0 (2026-11-01)\n\n* first\n");
    applyRelease(dir, planRelease(dir), { date: "2026-12-04", repoUrl: undefined });
    const json = (f: string): { version: string; packages?: Record<string, { version: string }> } => JSON.parse(readFileSync(join(dir, f), "utf8"));
    assert.equal(json("package.json").version, "0.1.1");
    assert.equal(json("package-lock.json").version, "0.1.1");
    assert.equal(json("package-lock.json").packages?.[""]?.version, "0.1.1");
    assert.match(readFileSync(join(dir, "CHANGELOG.md"), "utf8"), /^# Changelog\n\n## 0\.1\.1 \(2026-12-04\)\n\n### Bug Fixes\n\n\* \*\*load:\*\* retry unprocessed items \([0-9a-f]{7}\)\n\n## 0\.1\.0/);
  });

  it("writes the step outputs that the workflows read, and leaves files alone on --dry-run", () => {
    git("tag", "v0.1.0");
    commitFile("feat: a");
    const output = join(dir, "github-output.txt");
    writeFileSync(output, "");
    const stdout = execFileSync(process.execPath, ["--require", require.resolve("tsx/cjs"), join(__dirname, "release.ts"), "--dry-run"], {
      cwd: dir,
      env: { ...env, GITHUB_OUTPUT: output },
      encoding: "utf8",
    });
    assert.match(stdout, /next release: v0\.2\.0 \(minor bump from v0\.1\.0\)/);
    assert.equal(readFileSync(output, "utf8"), "release=true\nversion=0.2.0\ntag=v0.2.0\nprevious=0.1.0\n");
    assert.equal(JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version, "0.1.0");
  });

  for (const argv of [["--dryrun"], ["--date", "5 Dec"], ["--date"]]) {
    it(`refuses ${argv.join(" ")} with the usage and exit code 1`, () => {
      const run = spawnSync(process.execPath, ["--require", require.resolve("tsx/cjs"), join(__dirname, "release.ts"), ...argv], { cwd: dir, env, encoding: "utf8" });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /release: usage: tsx scripts\/release\.ts \[--dry-run\] \[--date YYYY-MM-DD\]/);
    });
  }
});
