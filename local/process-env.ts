/**
 * The handlers read their configuration (endpoints, credentials, TABLE_NAME) from `process.env`, at
 * load time and per invocation, so the runtime must set it while jobs run. It puts it back when the
 * last concurrent job ends, so nothing else in the process (other tests) inherits dead endpoints.
 * Concurrent jobs share one environment: run them against the same emulators.
 */
let active = 0;
const saved = new Map<string, string | undefined>();

/** Sets `env` on `process.env` and returns the function that undoes it once no job needs it. */
export function enterEnv(env: Readonly<Record<string, string>>): () => void {
  active++;
  for (const [key, value] of Object.entries(env)) {
    if (!saved.has(key)) saved.set(key, process.env[key]);
    process.env[key] = value;
  }
  let left = false;
  return () => {
    if (left) return;
    left = true;
    active--;
    if (active > 0) return;
    for (const [key, value] of saved) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    saved.clear();
  };
}
