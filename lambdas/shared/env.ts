/**
 * Reading the handlers' environment. The Pulumi program sets the same names on each function,
 * and the local runtime sets them from the emulators, so a missing one is a deployment mistake
 * and the error says which variable to set.
 */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    throw new Error(`environment variable ${name} is not set: set it on the function (the Pulumi program and the local runtime both do)`);
  }
  return value;
}

/** A positive integer from the environment, or `fallback` when the variable is unset or empty. */
export function positiveIntEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^[1-9][0-9]*$/.test(raw.trim()) || !Number.isSafeInteger(Number(raw))) {
    throw new Error(`environment variable ${name} is ${JSON.stringify(raw)}; set it to a positive whole number such as ${fallback}, or unset it for that default`);
  }
  return Number(raw);
}

/** A string from the environment, or `fallback` when the variable is unset or empty. */
export function stringEnv(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  return value === undefined || value.trim() === "" ? fallback : value;
}
