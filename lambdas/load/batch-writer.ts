import { TransientDependencyError } from "../shared/errors";

/** BatchWriteItem's limit: at most 25 put or delete requests per call. */
export const BATCH_SIZE = 25;

export type WriteRequest = { readonly PutRequest: { readonly Item: Record<string, unknown> } };

/** Sends one BatchWriteItem for `table` and returns the requests DynamoDB left unprocessed. */
export type SendBatch = (requests: readonly WriteRequest[]) => Promise<readonly WriteRequest[]>;

export interface RetryPolicy {
  /** Calls per batch, the first included, before giving up with `TransientDependencyError`. */
  readonly maxAttempts: number;
  /** Backoff ceiling of the first retry, doubled on each further retry. */
  readonly baseDelayMs: number;
  /** Backoff ceiling never exceeds this. */
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1); injected so tests can pin the jitter. */
  readonly random: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * "Full jitter" from the AWS Architecture Blog's "Exponential Backoff and Jitter": a uniform delay
 * in [0, min(cap, base * 2^(retry-1))), so throttled writers spread out instead of retrying in step.
 */
export function backoffDelay(retry: number, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(policy.random() * ceiling);
}

/**
 * Writes one batch, resending only the UnprocessedItems with backoff, as the DynamoDB docs require.
 * When attempts run out it throws `TransientDependencyError`: the state machine then retries the
 * whole load, which is safe because every item has a deterministic key.
 */
export async function writeBatch(send: SendBatch, requests: readonly WriteRequest[], policy: RetryPolicy = DEFAULT_RETRY_POLICY): Promise<{ retriedItems: number }> {
  if (requests.length > BATCH_SIZE) {
    throw new Error(`writeBatch got ${requests.length} requests; BatchWriteItem takes at most ${BATCH_SIZE}`);
  }
  let pending = requests;
  let retriedItems = 0;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > 1) {
      if (attempt > policy.maxAttempts) {
        throw new TransientDependencyError(
          `BatchWriteItem left ${pending.length} of ${requests.length} items unprocessed after ${policy.maxAttempts} attempts (DynamoDB is throttling); the workflow retries the load, which is idempotent`,
        );
      }
      retriedItems += pending.length;
      await policy.sleep(backoffDelay(attempt - 1, policy));
    }
    pending = await send(pending);
  }
  return { retriedItems };
}
