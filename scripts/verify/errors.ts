/**
 * Why `npm run verify` stops, each with its own exit code so that a workflow (or a person) can
 * tell a real mismatch from a setup problem.
 */
export const EXIT_CODES = {
  /** Everything deployed matches the repository. */
  match: 0,
  /** At least one check is MISMATCH. */
  mismatch: 1,
  /** The command line is wrong (unknown flag, unknown stack, missing value). */
  usage: 2,
  /** No AWS credentials, or expired or invalid ones. */
  noCredentials: 3,
  /** The credentials lack a permission the verifier needs. */
  accessDenied: 4,
  /** Nothing tagged for the stack in the region searched: usually the wrong region or account. */
  nothingDeployed: 5,
  /** The repository side cannot be computed: no build, or the program fails to run. */
  repository: 6,
  /** Anything else: a bug or an AWS outage; the message says which call failed. */
  unexpected: 70,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

export class VerifyError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "VerifyError";
  }
}

export class UsageError extends VerifyError {
  constructor(message: string) {
    super(message, EXIT_CODES.usage);
    this.name = "UsageError";
  }
}

export class NoCredentialsError extends VerifyError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `no usable AWS credentials (${detail}). Sign in first: \`aws sso login --profile <p>\` then AWS_PROFILE=<p>, ` +
        "or export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN; in GitHub Actions, run aws-actions/configure-aws-credentials first",
      EXIT_CODES.noCredentials,
      options,
    );
    this.name = "NoCredentialsError";
  }
}

export class AccessDeniedError extends VerifyError {
  constructor(
    readonly permission: string,
    readonly resource: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `access denied: the credentials lack ${permission}${resource ? ` on ${resource}` : ""}. ` +
        "Grant it to the role or user (docs/releasing.md lists every permission the verifier needs)",
      EXIT_CODES.accessDenied,
      options,
    );
    this.name = "AccessDeniedError";
  }
}

export class NothingDeployedError extends VerifyError {
  constructor(message: string) {
    super(message, EXIT_CODES.nothingDeployed);
    this.name = "NothingDeployedError";
  }
}

export class RepositoryError extends VerifyError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, EXIT_CODES.repository, options);
    this.name = "RepositoryError";
  }
}

/** Error names the SDK uses when there are no credentials, or they are expired or unknown to AWS. */
const CREDENTIAL_ERRORS = new Set([
  "CredentialsProviderError",
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "TokenRefreshRequired",
]);

const ACCESS_DENIED_ERRORS = new Set(["AccessDeniedException", "AccessDenied", "AccessDeniedFault", "UnauthorizedOperation"]);

/**
 * Translates the SDK errors the verifier knows how to explain; returns anything else unchanged.
 * `action` is the IAM action of the call (`lambda:GetAlias`), named when AWS's message does not.
 */
export function translateAwsError(err: unknown, action: string, resource?: string): unknown {
  if (!(err instanceof Error)) return err;
  if (CREDENTIAL_ERRORS.has(err.name)) return new NoCredentialsError(`${err.name}: ${err.message}`, { cause: err });
  if (ACCESS_DENIED_ERRORS.has(err.name)) {
    // "User: arn:... is not authorized to perform: lambda:GetAlias on resource: arn:... because ..."
    const permission = /not authorized to perform:? ([\w-]+:[\w*]+)/.exec(err.message)?.[1] ?? action;
    const onResource = /on resource:? (arn:[^\s]+)/.exec(err.message)?.[1] ?? resource;
    return new AccessDeniedError(permission, onResource, { cause: err });
  }
  return err;
}

/** Runs one AWS call, translating its known errors. */
export async function awsCall<T>(action: string, resource: string | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translateAwsError(err, action, resource);
  }
}
