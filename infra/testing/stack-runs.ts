import { rmSync } from "node:fs";
import { writeFixtureBundles } from "./fixture-bundles";
import { loadConfig, type StackConfig } from "../config";
import { readStackFile, runProgram, STACKS, type ProgramRun, type StackName } from "./harness";

/** The alarm recipient the prod run sets (as a secret), so one stack shows the email subscription. */
export const PROD_ALARM_EMAIL = "oncall@example.com";

let runs: Promise<Record<StackName, ProgramRun>> | undefined;

/**
 * The program run once per stack with its stack file, on stand-in bundles, shared by every test
 * file that asserts on the recorded resources (the runs are deterministic, so sharing is safe).
 */
export function stackRuns(): Promise<Record<StackName, ProgramRun>> {
  runs ??= (async () => {
    const distDir = writeFixtureBundles();
    process.once("exit", () => rmSync(distDir, { recursive: true, force: true }));
    const result = {} as Record<StackName, ProgramRun>;
    for (const stack of STACKS) {
      result[stack] = await runProgram(stack, { distDir, secrets: stack === "prod" ? { "batch-ingest:alarmEmail": PROD_ALARM_EMAIL } : undefined });
    }
    return result;
  })();
  return runs;
}

/** Each stack file's config, checked, as the program reads it. */
export function stackConfigs(): Record<StackName, StackConfig> {
  return Object.fromEntries(STACKS.map((s) => [s, loadConfig(s, readStackFile(s).config)])) as Record<StackName, StackConfig>;
}
