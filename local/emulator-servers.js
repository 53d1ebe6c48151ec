// The emulators' servers, run in a worker thread of the process that starts them (local/emulators.ts).
// Plain CommonJS, so the worker needs no TypeScript loader. On their own thread, s3rver and dynalite
// serve while the handlers compute on the main thread, as S3 and DynamoDB do beside Lambda.
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const S3rver = require("s3rver");
const dynalite = require("dynalite");

async function start() {
  const s3 = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory: workerData.directory, resetOnClose: true });
  const s3Address = await s3.run();
  // createTableMs: 0, so a table is ACTIVE at once instead of after dynalite's default 500 ms.
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve, reject) => {
    dynamo.once("error", reject);
    dynamo.listen(0, "127.0.0.1", resolve);
  });
  parentPort.on("message", async (message) => {
    if (message !== "stop") return;
    await s3.close().catch(() => undefined);
    await new Promise((resolve) => dynamo.close(() => resolve()));
    parentPort.postMessage({ stopped: true });
  });
  parentPort.postMessage({ s3Port: s3Address.port, dynamoPort: dynamo.address().port });
}

start().catch((err) => parentPort.postMessage({ error: err instanceof Error ? err.stack || err.message : String(err) }));
