/**
 * Fault injection: make a Task state fail the way AWS would, a set number of times, so tests (and
 * curious users, with `npm start -- --fault`) can watch the definition's Retry and Catch work.
 */
export interface Fault {
  /** Name of the Task state to fail. */
  readonly state: string;
  /** Error name the state reports, as Step Functions would: `S3.SlowDownException`, `TransientDependencyError`. */
  readonly error: string;
  /** How many attempts fail before the state behaves normally; `Infinity` for a persistent fault. @default 1 */
  readonly times?: number;
  /**
   * `before`: the attempt fails without calling anything (a throttled request).
   * `after`: the real call runs, then the attempt fails (a lost response), which proves the retry is idempotent.
   * @default "before"
   */
  readonly when?: "before" | "after";
  /** Cause text to report. @default a message naming the injected fault */
  readonly cause?: string;
}

/** Throws, naming the bad field and the fix, unless every fault names a Task state of the definition. */
export function validateFaults(faults: readonly Fault[], taskStates: readonly string[]): void {
  faults.forEach((fault, i) => {
    const where = `faults[${i}]`;
    if (!taskStates.includes(fault.state)) {
      throw new Error(`${where}.state is "${fault.state}", which is not a Task state of the definition; use one of: ${taskStates.join(", ")}`);
    }
    if (typeof fault.error !== "string" || fault.error.trim() === "") {
      throw new Error(`${where}.error is empty; give the error name the state should report, e.g. "S3.SlowDownException"`);
    }
    const times = fault.times ?? 1;
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
      throw new Error(`${where}.times is ${String(fault.times)}; use a whole number >= 1, or Infinity for a persistent fault`);
    }
    if (fault.when !== undefined && fault.when !== "before" && fault.when !== "after") {
      throw new Error(`${where}.when is "${String(fault.when)}"; use "before" or "after"`);
    }
  });
}

export interface InjectedFault {
  readonly error: string;
  readonly cause: string;
  readonly when: "before" | "after";
}

/** Counts attempts per state and hands out the faults still due. One plan serves one execution. */
export class FaultPlan {
  private readonly remaining: Map<Fault, number>;
  private readonly attempts = new Map<string, number>();

  constructor(private readonly faults: readonly Fault[]) {
    this.remaining = new Map(faults.map((f) => [f, f.times ?? 1]));
  }

  /** Records one attempt of `state` and returns the fault it must suffer, if any. */
  next(state: string): InjectedFault | undefined {
    const attempt = (this.attempts.get(state) ?? 0) + 1;
    this.attempts.set(state, attempt);
    const fault = this.faults.find((f) => f.state === state && (this.remaining.get(f) ?? 0) > 0);
    if (!fault) {
      return undefined;
    }
    this.remaining.set(fault, (this.remaining.get(fault) ?? 0) - 1);
    return {
      error: fault.error,
      cause: fault.cause ?? `${fault.error} injected by the local runtime into ${state}, attempt ${attempt}`,
      when: fault.when ?? "before",
    };
  }
}
