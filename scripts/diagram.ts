import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderWorkflowReadme } from "../step-functions/diagram";
import { DEFINITION_PATH } from "../step-functions/ingest/definition";

/** Where the generated diagram lives, beside the definition it draws. */
export const INGEST_README = join(__dirname, "..", "step-functions", "ingest", "README.md");
export const INGEST_TITLE = "The ingest workflow";

export function expectedIngestReadme(): string {
  return renderWorkflowReadme(JSON.parse(readFileSync(DEFINITION_PATH, "utf8")), INGEST_TITLE);
}

if (require.main === module) {
  writeFileSync(INGEST_README, expectedIngestReadme());
  console.log(`wrote ${INGEST_README}`);
}
