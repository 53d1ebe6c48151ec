/**
 * npm run verify -- --stack <dev|qa|prod> [--region <region>] [--json]
 *
 * Compares a deployed stack with this checkout, using the caller's AWS credentials: the tags, the
 * resource inventory, each function's code behind its `live` alias, and the state machine's
 * definition behind its `live` alias. The logic lives in scripts/verify/; this is the command line.
 */
import { LambdaClient } from "@aws-sdk/client-lambda";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { SFNClient } from "@aws-sdk/client-sfn";
import { STSClient } from "@aws-sdk/client-sts";
import { PROJECT, STACKS } from "../infra/testing/harness";
import { EXIT_CODES, UsageError, VerifyError } from "./verify/errors";
import { isStackName, readExpectedStack, stackRegion } from "./verify/expected";
import { renderJson, renderTable } from "./verify/report";
import { verifyStack } from "./verify/verify-stack";

export const USAGE = `usage: npm run verify -- --stack <${STACKS.join("|")}> [--region <region>] [--json]

  --stack    the stack to verify
  --region   where to look; default: aws:region in Pulumi.<stack>.yaml, then AWS_REGION
  --json     print the report as JSON instead of a table

exit codes: ${EXIT_CODES.match} match, ${EXIT_CODES.mismatch} mismatch, ${EXIT_CODES.usage} usage, ${EXIT_CODES.noCredentials} no credentials, ${EXIT_CODES.accessDenied} access denied,
            ${EXIT_CODES.nothingDeployed} nothing deployed in that region, ${EXIT_CODES.repository} repository side unavailable (run npm run build), ${EXIT_CODES.unexpected} unexpected`;

export interface VerifyArgs {
  readonly stack: string;
  readonly region: string | undefined;
  readonly json: boolean;
  readonly help: boolean;
}

export function parseArgs(argv: readonly string[]): VerifyArgs {
  let stack: string | undefined;
  let region: string | undefined;
  let json = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === "" || v.startsWith("--")) throw new UsageError(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === "--stack") stack = value();
    else if (flag === "--region") region = value();
    else if (flag === "--json") json = true;
    else if (flag === "--help" || flag === "-h") help = true;
    else throw new UsageError(`unknown argument "${arg}"\n${USAGE}`);
  }
  if (help) return { stack: stack ?? "", region, json, help };
  if (!stack) throw new UsageError(`--stack is required\n${USAGE}`);
  if (!isStackName(stack)) throw new UsageError(`unknown stack "${stack}": pass one of ${STACKS.join(", ")}\n${USAGE}`);
  if (region !== undefined && !/^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(region)) {
    throw new UsageError(`--region "${region}" is not an AWS region name like eu-west-1\n${USAGE}`);
  }
  return { stack, region, json, help };
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return EXIT_CODES.match;
  }
  const fromStackFile = isStackName(args.stack) ? stackRegion(args.stack) : undefined;
  const region = args.region ?? fromStackFile ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new UsageError(`no region: pass --region, or set aws:region in Pulumi.${args.stack}.yaml`);
  const clients = {
    sts: new STSClient({ region }),
    tagging: new ResourceGroupsTaggingAPIClient({ region }),
    lambda: new LambdaClient({ region }),
    sfn: new SFNClient({ region }),
  };
  const report = await verifyStack(clients, { project: PROJECT, stack: args.stack, region, stackRegion: fromStackFile }, () =>
    readExpectedStack(args.stack),
  );
  console.log(args.json ? renderJson(report) : renderTable(report));
  return report.ok ? EXIT_CODES.match : EXIT_CODES.mismatch;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  main(argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      const known = err instanceof VerifyError;
      const code = known ? err.exitCode : EXIT_CODES.unexpected;
      const message = known ? err.message : `unexpected ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
      console.error(`verify: ${message}`);
      if (argv.includes("--json")) console.log(JSON.stringify({ ok: false, error: { name: err instanceof Error ? err.name : "Error", message, exitCode: code } }, null, 2));
      process.exit(code);
    },
  );
}
