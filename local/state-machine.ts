// The polyfill must run before aws-local-stepfunctions is loaded: it calls Promise.withResolvers.
import "./polyfills";
export { StateMachine, ExecutionError, ExecutionAbortedError, ExecutionTimeoutError } from "aws-local-stepfunctions";
export type { StateMachineDefinition, RunOptions } from "aws-local-stepfunctions";
