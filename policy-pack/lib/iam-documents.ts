/**
 * IAM policy documents, normalised: `Action`/`Resource` may be a string or a list, `Statement` may be
 * one object or a list, and the document may arrive as a JSON string or an object. Used by the IAM
 * policies and by the S3 TLS policy (a bucket policy is an IAM document too).
 */
import { asRecord, asString, asStringList, isRecord, parseDocument, type Json } from "./props";
import { TYPES } from "./resource-types";

export interface Statement {
  readonly sid: string | undefined;
  readonly effect: string | undefined;
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  readonly notResources: string[];
  readonly principal: unknown;
  readonly condition: Json | undefined;
}

export interface ParsedDocument {
  readonly statements: Statement[];
  /** What is malformed, e.g. `is not valid JSON`; a policy reports these rather than skipping them. */
  readonly errors: string[];
}

export function parsePolicyDocument(raw: unknown): ParsedDocument {
  const parsed = parseDocument(raw);
  if (!parsed.ok) return { statements: [], errors: [parsed.error] };
  const doc = asRecord(parsed.value);
  if (!doc) return { statements: [], errors: ["is not a JSON object"] };
  const list = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement === undefined ? [] : [doc.Statement];
  const errors: string[] = [];
  const statements: Statement[] = [];
  list.forEach((s, i) => {
    if (!isRecord(s)) {
      errors.push(`has a Statement[${i}] that is not an object`);
      return;
    }
    statements.push({
      sid: asString(s.Sid),
      effect: asString(s.Effect),
      actions: asStringList(s.Action),
      notActions: asStringList(s.NotAction),
      resources: asStringList(s.Resource),
      notResources: asStringList(s.NotResource),
      principal: s.Principal,
      condition: asRecord(s.Condition),
    });
  });
  return { statements, errors };
}

/** Names a statement in a message: its Sid, else its position. */
export function statementLabel(statement: Statement, index: number): string {
  return statement.sid ? `statement "${statement.sid}"` : `statement ${index + 1}`;
}

export interface DocumentSource {
  /** E.g. `inline policy "invoke"` or `policy`. */
  readonly label: string;
  readonly document: unknown;
}

/**
 * The permission documents a resource carries: a role's inline policies, a role policy's or managed
 * policy's `policy`. Trust policies (`assumeRolePolicy`) grant no permissions and are not included.
 * Reading a value that is unknown in a preview throws, so the engine reports the policy cannot run.
 */
export function permissionDocuments(type: string, props: Json): DocumentSource[] {
  switch (type) {
    case TYPES.role:
      return (Array.isArray(props.inlinePolicies) ? props.inlinePolicies : []).flatMap((p: unknown, i: number) => {
        const policy = asRecord(p);
        if (!policy || policy.policy === undefined) return [];
        return [{ label: `inline policy "${asString(policy.name) ?? i}"`, document: policy.policy }];
      });
    case TYPES.rolePolicy:
    case TYPES.managedPolicy:
      return props.policy === undefined ? [] : [{ label: "policy", document: props.policy }];
    default:
      return [];
  }
}

/** Whether an IAM pattern (`*` and `?` wildcards, case-sensitive as for ARNs) matches a value. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${source}$`, caseInsensitive ? "i" : "").test(value);
}
