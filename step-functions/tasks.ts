/** The Task states of a definition, the one walker the Pulumi program and the local runtime share. */

export interface TaskStateInfo {
  readonly name: string;
  readonly resource: string;
  readonly timeoutSeconds: number | undefined;
  /** Whether the Task has at least one retrier. */
  readonly retries: boolean;
}

interface StateLike {
  readonly Type?: unknown;
  readonly Resource?: unknown;
  readonly TimeoutSeconds?: unknown;
  readonly Retry?: unknown;
  readonly Branches?: unknown;
  readonly Iterator?: unknown;
  readonly ItemProcessor?: unknown;
}

function statesOf(machine: unknown): Array<[string, StateLike]> {
  const states = (machine as { States?: unknown } | null)?.States;
  return states !== null && typeof states === "object" ? Object.entries(states as Record<string, StateLike>) : [];
}

/** Every Task state of a parsed definition, Parallel branches and Map processors included. */
export function taskStates(definition: unknown): TaskStateInfo[] {
  const out: TaskStateInfo[] = [];
  const visit = (machine: unknown) => {
    for (const [name, state] of statesOf(machine)) {
      if (state.Type === "Task" && typeof state.Resource === "string") {
        out.push({
          name,
          resource: state.Resource,
          timeoutSeconds: typeof state.TimeoutSeconds === "number" ? state.TimeoutSeconds : undefined,
          retries: Array.isArray(state.Retry) && state.Retry.length > 0,
        });
      }
      if (Array.isArray(state.Branches)) state.Branches.forEach(visit);
      if (state.Iterator) visit(state.Iterator);
      if (state.ItemProcessor) visit(state.ItemProcessor);
    }
  };
  visit(definition);
  return out;
}
