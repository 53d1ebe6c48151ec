import { strict as assert } from "node:assert";
import { aslValidationErrors, lintDefinition } from "./validation";

type Json = Record<string, unknown>;

/** A small definition that satisfies every rule; each case below breaks one thing. */
function goodDefinition(): Json {
  return {
    StartAt: "Work",
    States: {
      Work: {
        Type: "Task",
        Resource: "arn:aws:lambda:us-east-1:123456789012:function:work:live",
        TimeoutSeconds: 10,
        Retry: [{ ErrorEquals: ["Lambda.ServiceException"], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: "FULL" }],
        Catch: [{ ErrorEquals: ["States.ALL"], Next: "Failed" }],
        End: true,
      },
      Failed: { Type: "Fail", Error: "Failed" },
    },
  };
}

function work(def: Json): Json {
  return (def.States as Record<string, Json>).Work;
}

describe("definition lint", () => {
  it("accepts a Task with a timeout, a transient-only jittered Retry and a Catch of States.ALL", () => {
    assert.deepEqual(lintDefinition(goodDefinition()), []);
  });

  const cases: Array<[string, (d: Json) => void, RegExp]> = [
    ["a Task without TimeoutSeconds", (d) => delete work(d).TimeoutSeconds, /"Work" has no TimeoutSeconds/],
    ["a Task without Retry", (d) => delete work(d).Retry, /"Work" has no Retry/],
    ["a Task without Catch", (d) => delete work(d).Catch, /"Work" has no Catch of States.ALL/],
    ["a Catch that misses States.ALL", (d) => (work(d).Catch = [{ ErrorEquals: ["Foo"], Next: "Failed" }]), /no Catch of States.ALL/],
    ["a Retry of States.ALL", (d) => ((work(d).Retry as Json[])[0].ErrorEquals = ["States.ALL"]), /retries States.ALL: retry named transient errors only/],
    ["a Retry of States.TaskFailed", (d) => ((work(d).Retry as Json[])[0].ErrorEquals = ["States.TaskFailed"]), /retries States.TaskFailed/],
    ["a Retry without jitter", (d) => delete (work(d).Retry as Json[])[0].JitterStrategy, /no JitterStrategy FULL/],
    ["a Retry without backoff", (d) => ((work(d).Retry as Json[])[0].BackoffRate = 1), /BackoffRate 1: use at least 1.5/],
    ["JSONata at the top", (d) => (d.QueryLanguage = "JSONata"), /QueryLanguage is "JSONata": use JSONPath/],
    ["JSONata on a state", (d) => (work(d).QueryLanguage = "JSONata"), /"Work" uses QueryLanguage "JSONata"/],
    ["an Assign field", (d) => (work(d).Assign = { x: 1 }), /"Work" uses "Assign"/],
    [
      "a Distributed Map",
      (d) =>
        ((d.States as Json).Fan = {
          Type: "Map",
          ItemProcessor: { ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" }, StartAt: "X", States: { X: { Type: "Pass", End: true } } },
          End: true,
        }),
      /"Fan" is a Distributed Map/,
    ],
    [
      "a Task inside an inline Map without Retry",
      (d) =>
        ((d.States as Json).Fan = {
          Type: "Map",
          ItemProcessor: { StartAt: "Inner", States: { Inner: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", TimeoutSeconds: 5, End: true } } },
          End: true,
        }),
      /"Fan.Inner" has no Retry/,
    ],
  ];
  for (const [what, breakIt, expected] of cases) {
    it(`rejects ${what}`, () => {
      const def = goodDefinition();
      breakIt(def);
      const problems = lintDefinition(def);
      assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in ${JSON.stringify(problems)}`);
    });
  }
});

describe("asl-validator wrapper", () => {
  it("returns no errors for a valid definition", () => {
    assert.deepEqual(aslValidationErrors(goodDefinition()), []);
  });

  it("names a transition to a state that does not exist", () => {
    const def = goodDefinition();
    work(def).Catch = [{ ErrorEquals: ["States.ALL"], Next: "Nowhere" }];
    assert.match(aslValidationErrors(def).join("\n"), /Nowhere/);
  });

  it("reports text that is not JSON instead of throwing", () => {
    assert.match(aslValidationErrors("{ not json").join(""), /not valid JSON/);
  });

  it("leaves the caller's object unchanged", () => {
    const def = goodDefinition();
    const before = JSON.stringify(def);
    aslValidationErrors(def);
    assert.equal(JSON.stringify(def), before);
  });
});
