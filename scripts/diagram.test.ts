import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import { renderMermaid } from "../step-functions/diagram";
import { expectedIngestReadme, INGEST_README } from "./diagram";

describe("the workflow diagram", () => {
  it("is up to date with definition.asl.json (run `npm run diagram` to regenerate it)", () => {
    assert.equal(readFileSync(INGEST_README, "utf8"), expectedIngestReadme());
  });

  it("draws Next as solid edges and Catch targets as dotted error edges", () => {
    const mermaid = renderMermaid({
      StartAt: "A",
      States: {
        A: { Type: "Task", Resource: "arn:aws:states:::dynamodb:putItem", TimeoutSeconds: 5, Next: "B", Catch: [{ ErrorEquals: ["States.ALL"], Next: "F" }] },
        B: { Type: "Succeed" },
        F: { Type: "Fail" },
      },
    });
    assert.match(mermaid, /^ {2}A --> B$/m);
    assert.match(mermaid, /^ {2}A -\. error \.-> F$/m);
    assert.match(mermaid, /A\["A<br\/><small>DynamoDB putItem · 5s<\/small>"\]/);
    assert.match(mermaid, /F\(\["F"\]\):::fail/);
  });
});
