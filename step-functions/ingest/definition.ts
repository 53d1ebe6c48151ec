import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Path of the Amazon States Language definition, kept as JSON so reviewers and tools read it as-is. */
export const DEFINITION_PATH = join(__dirname, "definition.asl.json");

/**
 * Every `${Placeholder}` the definition uses. The Pulumi program and the local runtime both fill
 * exactly these, through `substituteDefinition`, so what runs locally is what deploys.
 */
export const PLACEHOLDERS = [
  "ValidateFunctionArn",
  "TransformFunctionArn",
  "LoadFunctionArn",
  "ReportFunctionArn",
  "TableName",
] as const;

export type Placeholder = (typeof PLACEHOLDERS)[number];
export type DefinitionValues = Record<Placeholder, string>;

/** Maps each handler to the placeholder of its function ARN in the definition. */
export const HANDLER_PLACEHOLDERS = {
  validate: "ValidateFunctionArn",
  transform: "TransformFunctionArn",
  load: "LoadFunctionArn",
  report: "ReportFunctionArn",
} as const satisfies Record<string, Placeholder>;

export function readDefinitionTemplate(path: string = DEFINITION_PATH): string {
  return readFileSync(path, "utf8");
}

/**
 * Replaces every `${Name}` in the template. Fails on a placeholder with no value and on a value
 * given for a placeholder the template never uses, so the two sides cannot drift apart silently.
 * Values are JSON-escaped, so a value can never break the document's syntax.
 */
export function substituteDefinition(template: string, values: DefinitionValues): string {
  const used = new Set<string>();
  const out = template.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_match, name: string) => {
    if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new Error(`definition uses unknown placeholder \${${name}}; known: ${PLACEHOLDERS.join(", ")}`);
    }
    const value = values[name as Placeholder];
    if (typeof value !== "string" || value.length === 0) {
      throw new Error(`no value for placeholder \${${name}}: pass a non-empty string for "${name}"`);
    }
    used.add(name);
    return JSON.stringify(value).slice(1, -1);
  });
  const unused = PLACEHOLDERS.filter((p) => !used.has(p));
  if (unused.length > 0) {
    throw new Error(`placeholders never used by the definition: ${unused.join(", ")}`);
  }
  JSON.parse(out);
  return out;
}
