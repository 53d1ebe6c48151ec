import { compareStack } from "./checks";
import { callerAccount, readDeployedStack, type VerifyClients } from "./deployed";
import { NothingDeployedError } from "./errors";
import type { ExpectedStack } from "./expected";
import type { VerifyReport } from "./report";

export interface VerifyTarget {
  readonly project: string;
  readonly stack: string;
  /** The region the clients are in, which is the region searched. */
  readonly region: string;
  /** The stack's `aws:region` from `Pulumi.<stack>.yaml`, to say where to look when nothing is found. */
  readonly stackRegion?: string | undefined;
}

/**
 * Compares one deployed stack with the repository. The credentials are checked first, so that a
 * missing login fails in milliseconds, before the repository side (bundles, program) is computed.
 */
export async function verifyStack(clients: VerifyClients, target: VerifyTarget, loadExpected: () => Promise<ExpectedStack>): Promise<VerifyReport> {
  const account = await callerAccount(clients.sts);
  const expected = await loadExpected();
  const deployed = await readDeployedStack(clients, target.project, target.stack);
  if (deployed.resources.length === 0) throw nothingDeployed(target, account);
  const checks = compareStack(expected, deployed);
  const notes = [
    ...Object.entries(expected.inventory.notListed).map(
      ([type, n]) => `${n} ${type} not counted: the Tagging API does not list this type (the program still tags it)`,
    ),
    ...deployed.vanished.map((arn) => `ignored ${arn}: still in the tag index, but the resource no longer exists`),
  ];
  return { project: target.project, stack: target.stack, region: target.region, account, version: expected.version, ok: checks.every((c) => c.ok), checks, notes };
}

function nothingDeployed(target: VerifyTarget, account: string): NothingDeployedError {
  const where = `nothing tagged Project=${target.project}, Environment=${target.stack} in region ${target.region} (account ${account})`;
  if (target.stackRegion && target.stackRegion !== target.region) {
    return new NothingDeployedError(
      `${where}. Pulumi.${target.stack}.yaml deploys the stack to ${target.stackRegion}: run again with --region ${target.stackRegion}`,
    );
  }
  return new NothingDeployedError(
    `${where}. Is the stack deployed, and in this account? Pick the account with AWS_PROFILE, ` +
      "and the region with --region <region> (the default is the stack's aws:region)",
  );
}
