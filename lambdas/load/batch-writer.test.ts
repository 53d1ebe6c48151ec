import assert from "node:assert/strict";
import { backoffDelay, writeBatch, type RetryPolicy, type SendBatch, type WriteRequest } from "./batch-writer";

const requests = (n: number): WriteRequest[] => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { PK: "JOB#j", SK: `ORDER#${i}` } } }));

/** A policy that records its sleeps instead of sleeping, with the jitter pinned to `random`. */
function recordingPolicy(random = 0.5, maxAttempts = 4): RetryPolicy & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { maxAttempts, baseDelayMs: 100, maxDelayMs: 250, random: () => random, sleep: async (ms) => void sleeps.push(ms), sleeps };
}

/** A stand-in for BatchWriteItem that leaves the first `unprocessed[i]` requests unprocessed on call i. */
function throttlingSend(unprocessed: number[]): SendBatch & { calls: number[] } {
  const calls: number[] = [];
  const send = async (batch: readonly WriteRequest[]) => {
    calls.push(batch.length);
    return batch.slice(0, unprocessed[calls.length - 1] ?? 0);
  };
  return Object.assign(send, { calls });
}

describe("writeBatch", () => {
  it("sends a batch once when DynamoDB processes every item", async () => {
    const send = throttlingSend([]);
    const policy = recordingPolicy();
    assert.deepEqual(await writeBatch(send, requests(25), policy), { retriedItems: 0 });
    assert.deepEqual([send.calls, policy.sleeps], [[25], []]);
  });

  it("resends only the unprocessed items, backing off exponentially with jitter under a cap", async () => {
    const send = throttlingSend([10, 4, 1]);
    const policy = recordingPolicy(0.5);
    assert.deepEqual(await writeBatch(send, requests(25), policy), { retriedItems: 15 });
    assert.deepEqual(send.calls, [25, 10, 4, 1]);
    // Ceilings 100, 200, then 400 capped at 250; the pinned jitter takes half of each.
    assert.deepEqual(policy.sleeps, [50, 100, 125]);
  });

  it("throws TransientDependencyError when items are still unprocessed after the last attempt", async () => {
    const send = throttlingSend([5, 5, 5, 5, 5]);
    await assert.rejects(writeBatch(send, requests(5), recordingPolicy(0.5, 4)), (err: Error) => {
      assert.equal(err.name, "TransientDependencyError");
      assert.match(err.message, /left 5 of 5 items unprocessed after 4 attempts/);
      return true;
    });
    assert.equal(send.calls.length, 4);
  });

  it("refuses more than 25 requests, BatchWriteItem's limit", async () => {
    await assert.rejects(writeBatch(throttlingSend([]), requests(26)), /at most 25/);
  });

  const delays: Array<[number, number, number]> = [
    [1, 0, 0],
    [1, 0.999, 99],
    [2, 0.999, 199],
    [3, 0.999, 249],
    [30, 0.999, 249],
  ];
  for (const [retry, random, expected] of delays) {
    it(`backoffDelay for retry ${retry} with jitter ${random} is ${expected} ms`, () => {
      assert.equal(backoffDelay(retry, recordingPolicy(random)), expected);
    });
  }
});
