import type { StateMachine } from "./state-machine";

type EventLog = ReturnType<StateMachine["run"]>["eventLogs"] extends AsyncGenerator<infer E> ? E : never;

/** What the runtime reports while an execution runs; the CLI prints these. */
export type RuntimeEvent =
  | { readonly type: "StateEntered"; readonly state: string; readonly stateType: string; readonly at: number }
  | { readonly type: "StateExited"; readonly state: string; readonly stateType: string; readonly at: number; readonly durationMs: number }
  | { readonly type: "StateFailed"; readonly state: string; readonly at: number; readonly attempt: number; readonly error: string; readonly cause: string }
  | { readonly type: "StateRetried"; readonly state: string; readonly at: number; readonly attempt: number }
  | { readonly type: "StateCaught"; readonly state: string; readonly at: number; readonly next: string }
  | { readonly type: "ExecutionSucceeded"; readonly at: number }
  | { readonly type: "ExecutionFailed"; readonly at: number; readonly error: string; readonly cause: string };

/** One state's visit, with its timing and every failed attempt. */
export interface StateRun {
  readonly name: string;
  readonly type: string;
  /** ISO time the state was entered. */
  readonly enteredAt: string;
  /** From entering to leaving, retries and their waits included. */
  durationMs: number;
  attempts: number;
  outcome: "succeeded" | "caught" | "failed" | "running";
  readonly errors: Array<{ error: string; cause: string }>;
  /** For a caught failure: the state the Catch went to. */
  next?: string;
}

function causeText(cause: unknown): string {
  if (typeof cause === "string") return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause) ?? "";
}

/** Folds the state machine's event log into `StateRun`s and forwards each step to `onEvent`. */
export class ExecutionLog {
  readonly states: StateRun[] = [];
  private readonly entered: number[] = [];

  constructor(private readonly onEvent: (event: RuntimeEvent) => void = () => {}) {}

  private current(name: string): { run: StateRun; enteredAt: number } | undefined {
    for (let i = this.states.length - 1; i >= 0; i--) {
      if (this.states[i].name === name) return { run: this.states[i], enteredAt: this.entered[i] };
    }
    return undefined;
  }

  async consume(events: AsyncIterable<EventLog>): Promise<void> {
    for await (const event of events) {
      this.record(event);
    }
  }

  record(event: EventLog): void {
    const at = event.timestamp;
    switch (event.type) {
      case "StateEntered": {
        this.states.push({ name: event.state.name, type: event.state.type, enteredAt: new Date(at).toISOString(), durationMs: 0, attempts: 1, outcome: "running", errors: [] });
        this.entered.push(at);
        this.emit({ type: "StateEntered", state: event.state.name, stateType: event.state.type, at });
        return;
      }
      case "StateExited": {
        const cur = this.current(event.state.name);
        if (!cur) return;
        cur.run.durationMs = at - cur.enteredAt;
        if (cur.run.outcome === "running") cur.run.outcome = "succeeded";
        this.emit({ type: "StateExited", state: event.state.name, stateType: event.state.type, at, durationMs: cur.run.durationMs });
        return;
      }
      case "StateFailed": {
        const cur = this.current(event.state.name);
        const error = event.Error;
        const cause = causeText(event.Cause);
        if (cur) {
          cur.run.errors.push({ error, cause });
          cur.run.durationMs = at - cur.enteredAt;
          cur.run.outcome = "failed";
        }
        this.emit({ type: "StateFailed", state: event.state.name, at, attempt: cur?.run.attempts ?? 1, error, cause });
        return;
      }
      case "StateRetried": {
        const cur = this.current(event.state.name);
        if (cur) {
          cur.run.attempts += 1;
          cur.run.outcome = "running";
        }
        this.emit({ type: "StateRetried", state: event.state.name, at, attempt: cur?.run.attempts ?? event.retry.attempt + 1 });
        return;
      }
      case "StateCaught": {
        const cur = this.current(event.state.name);
        if (cur) {
          cur.run.outcome = "caught";
          cur.run.next = event.catch.catcher.Next;
        }
        this.emit({ type: "StateCaught", state: event.state.name, at, next: event.catch.catcher.Next });
        return;
      }
      case "ExecutionSucceeded":
        this.emit({ type: "ExecutionSucceeded", at });
        return;
      case "ExecutionFailed":
        this.emit({ type: "ExecutionFailed", at, error: event.Error, cause: causeText(event.Cause) });
        return;
      default:
        return;
    }
  }

  private emit(event: RuntimeEvent): void {
    try {
      this.onEvent(event);
    } catch {
      // A failing observer (a closed stdout pipe) must never change the execution's outcome.
    }
  }
}
