/**
 * IAM: no wildcard actions, a star Resource only for actions AWS documents as needing it, no AWS
 * managed admin policies, and (a stack policy) the state machine's role may invoke exactly the
 * functions its definition invokes.
 */
import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { settingsOf } from "./lib/settings";
import { cdkNag, fsbp } from "./lib/citations";
import { parsePolicyDocument, permissionDocuments, statementLabel, wildcardMatch, type DocumentSource, type Statement } from "./lib/iam-documents";
import { definitionInvocations, functionName, functionOf, grantCovers, invokeGrants, isWildcardFunctionGrant } from "./lib/lambda-invocations";
import { asArray, asString, known, parseDocument, show } from "./lib/props";
import { TYPES } from "./lib/resource-types";
import { byIdentifier, knownStrings, referenced, referencing, type Matcher } from "./lib/stack-graph";
import { STAR_RESOURCE_ACTIONS } from "../infra/iam";

const DOCUMENT_TYPES: readonly string[] = [TYPES.role, TYPES.rolePolicy, TYPES.managedPolicy];

/**
 * Calls `visit` for every Allow statement of the resource's permission documents, with a label
 * naming the resource, document and statement; reports documents that do not parse.
 */
function forEachAllowStatement(args: ResourceValidationArgs, reportViolation: ReportViolation, visit: (statement: Statement, where: string) => void): void {
  if (!DOCUMENT_TYPES.includes(args.type)) args.notApplicable(`only IAM roles, role policies and managed policies carry permission documents`);
  for (const { label, document } of permissionDocuments(args.type, args.props)) {
    const parsed = parsePolicyDocument(document);
    for (const error of parsed.errors) reportViolation(`${args.name} ${label} ${error}`);
    parsed.statements.forEach((s, i) => {
      if (s.effect === "Allow") visit(s, `${args.name} ${label} ${statementLabel(s, i)}`);
    });
  }
}

/** `*`, `*:*` or `service:*`: every action, or every action of a service. */
function isWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action) || action === "*:*";
}

export const iamNoWildcardActions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-actions",
  description: "Checks whether no IAM policy allows `*`, `service:*` or an Allow with NotAction.",
  enforcementLevel: "mandatory",
  severity: "high",
  ...fsbp("IAM.21", "IAM customer managed policies that you create should not allow wildcard actions for services (with IAM.1: no full \"*\" administrative privileges)"),
  validateResource: (args, reportViolation) => {
    forEachAllowStatement(args, reportViolation, (s, where) => {
      const wild = s.actions.filter(isWildcardAction);
      if (wild.length > 0) reportViolation(`${where} allows ${wild.map((a) => `"${a}"`).join(", ")}: list the exact actions the code calls`);
      if (s.notActions.length > 0) reportViolation(`${where} allows every action except ${s.notActions.join(", ")} (NotAction): list the allowed actions instead`);
    });
  },
};

export const iamNoStarResource: ResourceValidationPolicy = {
  name: "iam-no-star-resource",
  description: "Checks whether every IAM Allow statement names specific resources, except for the actions AWS documents as needing `Resource: \"*\"`.",
  enforcementLevel: "mandatory",
  severity: "high",
  ...cdkNag("AwsSolutions-IAM5", "The IAM entity contains wildcard permissions and does not have a cdk-nag rule suppression with evidence for those permission"),
  validateResource: (args, reportViolation) => {
    const allowed = STAR_RESOURCE_ACTIONS.map((a) => a.toLowerCase());
    forEachAllowStatement(args, reportViolation, (s, where) => {
      if (s.notResources.length > 0) reportViolation(`${where} allows on every resource except ${s.notResources.join(", ")} (NotResource): list the resources instead`);
      if (!s.resources.includes("*")) return;
      const needless = s.actions.filter((a) => !allowed.includes(a.toLowerCase()));
      if (needless.length > 0 || s.notActions.length > 0) {
        reportViolation(
          `${where} grants ${needless.length ? needless.join(", ") : "NotAction"} on Resource "*": scope ${needless.length === 1 ? "it" : "them"} to ARNs ` +
            `(only ${STAR_RESOURCE_ACTIONS.join(", ")} may use "*")`,
        );
      }
    });
  },
};

const ADMIN_ARN = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([^/]+)$/;

export const iamNoAdminManagedPolicies: ResourceValidationPolicy = {
  name: "iam-no-admin-managed-policies",
  description: "Checks whether no role or attachment uses an AWS managed administrator, power-user or full-access policy.",
  enforcementLevel: "mandatory",
  severity: "critical",
  ...cdkNag("AwsSolutions-IAM4", "The IAM user, role, or group uses AWS managed policies"),
  configSchema: {
    properties: {
      deniedPolicyNames: {
        type: "array",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
        default: ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "*FullAccess"],
        description: "AWS managed policy names (wildcards allowed) no role may use.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const { deniedPolicyNames } = settingsOf<{ deniedPolicyNames: string[] }>(iamNoAdminManagedPolicies, args);
    const attaching: readonly string[] = [TYPES.role, TYPES.rolePolicyAttachment, TYPES.policyAttachment];
    if (!attaching.includes(args.type)) args.notApplicable("only roles and policy attachments attach managed policies");
    const arns = args.type === TYPES.role ? asArray(args.props.managedPolicyArns).flatMap((a) => asString(a) ?? []) : [asString(args.props.policyArn) ?? ""];
    for (const arn of arns) {
      const name = ADMIN_ARN.exec(arn)?.[1];
      const denied = name && deniedPolicyNames.find((pattern) => wildcardMatch(pattern, name));
      if (name && denied) reportViolation(`${args.name} attaches the AWS managed policy ${name} (${arn}), which grants far more than the code uses: write a policy with the exact actions and resources`);
    }
  },
};

/** A state machine names its role by ARN; a role of the stack is matched on its ARN, or on the name at the ARN's end. */
const namesRole: Matcher = (value, role) => {
  if (knownStrings(role, ["arn"]).includes(value)) return true;
  const name = /:role\/(?:.*\/)?([^/]+)$/.exec(value)?.[1];
  return name !== undefined && knownStrings(role, ["name", "id"]).includes(name);
};

/** AWS managed policies that let a role invoke every function. */
const INVOKE_ALL_MANAGED = ["AWSLambdaRole", "AWSLambda_FullAccess", "AWSLambdaFullAccess", "AdministratorAccess", "PowerUserAccess"];

type OwnedDocument = DocumentSource & { owner: string };

/** Every permission document that applies to a role of the stack, and the AWS managed policies it attaches. */
function roleDocuments(resources: readonly PolicyResource[], role: PolicyResource): { documents: OwnedDocument[]; managed: string[] } {
  const own = (owner: string, type: string, props: Record<string, unknown>) => permissionDocuments(type, props).map((d) => ({ ...d, owner }));
  const documents = own(`role "${role.name}"`, TYPES.role, role.props);
  const managed = asArray(role.props.managedPolicyArns).flatMap((a) => asString(a) ?? []);
  for (const policy of referencing(resources, TYPES.rolePolicy, "role", role, byIdentifier("name", "id", "arn"))) {
    documents.push(...own(`role policy "${policy.name}"`, TYPES.rolePolicy, policy.props));
  }
  for (const attachment of referencing(resources, TYPES.rolePolicyAttachment, "role", role, byIdentifier("name", "id"))) {
    const policies = referenced(resources, attachment, "policyArn", TYPES.managedPolicy, byIdentifier("arn", "id"));
    for (const policy of policies) documents.push(...own(`policy "${policy.name}"`, TYPES.managedPolicy, policy.props));
    if (policies.length === 0) managed.push(asString(attachment.props.policyArn) ?? "");
  }
  return { documents, managed };
}

const FUNCTION_TYPES: readonly string[] = [TYPES.function, TYPES.functionAlias];

/**
 * First preview: the definition and the role's documents are unknown (they hold ARNs not yet
 * assigned), but the engine records which functions each was built from. Compare those.
 */
function compareDependencies(resources: readonly PolicyResource[], machine: PolicyResource, role: PolicyResource, report: (m: string) => void): void {
  const invoked = (machine.propertyDependencies.definition ?? []).filter((r) => FUNCTION_TYPES.includes(r.type));
  // Nothing recorded either: reading the value throws, and the engine reports the policy could not run.
  if (invoked.length === 0) void machine.props.definition;
  const granting = [
    ...(role.propertyDependencies.inlinePolicies ?? []),
    ...referencing(resources, TYPES.rolePolicy, "role", role, byIdentifier("name", "id", "arn")).flatMap((p) => p.propertyDependencies.policy ?? []),
  ].filter((r) => FUNCTION_TYPES.includes(r.type));
  const granted = new Set(granting.map((r) => r.urn));
  const used = new Set(invoked.map((r) => r.urn));
  for (const fn of invoked) if (!granted.has(fn.urn)) report(`state machine "${machine.name}" invokes "${fn.name}" but its role "${role.name}" is not granted it: allow lambda:InvokeFunction on its ARN`);
  for (const fn of granting) if (!used.has(fn.urn)) report(`role "${role.name}" is granted "${fn.name}", which the definition of "${machine.name}" never invokes: remove it`);
}

function compareValues(definition: unknown, resources: readonly PolicyResource[], machine: PolicyResource, role: PolicyResource, report: (m: string) => void): void {
  const parsed = parseDocument(definition);
  if (!parsed.ok) return report(`state machine "${machine.name}" has a definition that ${parsed.error}`);
  const { invocations, dynamic } = definitionInvocations(parsed.value);
  for (const state of dynamic) report(`state "${state}" of "${machine.name}" picks its function at run time (FunctionName.$): name the function, so the role can be limited to it`);
  const { documents, managed } = roleDocuments(resources, role);
  for (const arn of managed) {
    const name = ADMIN_ARN.exec(arn)?.[1];
    if (name && INVOKE_ALL_MANAGED.includes(name)) report(`role "${role.name}" attaches ${name}, which lets it invoke every function: grant lambda:InvokeFunction on the definition's functions only`);
  }
  const { grants, problems } = invokeGrants(documents);
  for (const problem of problems) report(problem);
  for (const { state, target } of invocations) {
    if (!grants.some((g) => grantCovers(g.resource, target))) {
      report(`state machine "${machine.name}" invokes ${target} (state "${state}") but its role "${role.name}" may not: allow lambda:InvokeFunction on it`);
    }
  }
  const functions = new Set(invocations.map((i) => functionOf(i.target)));
  const bareNames = new Set(invocations.filter((i) => !i.target.startsWith("arn:")).map((i) => i.target));
  const seen = new Set<string>();
  for (const { source, resource } of grants) {
    if (seen.has(resource)) continue;
    seen.add(resource);
    if (isWildcardFunctionGrant(resource)) {
      report(`${source} lets role "${role.name}" invoke any function matching "${resource}": name the functions the definition invokes`);
    } else if (!functions.has(functionOf(resource)) && !bareNames.has(functionName(resource))) {
      report(`${source} lets role "${role.name}" invoke ${functionOf(resource)}, which the definition of "${machine.name}" never invokes: remove it`);
    }
  }
}

export const stateMachineRoleInvokesDefinitionFunctions: StackValidationPolicy = {
  name: "sfn-role-invokes-only-definition-functions",
  description: "Checks whether each state machine's role may invoke exactly the Lambda functions its definition invokes: none missing, none extra.",
  enforcementLevel: "mandatory",
  severity: "high",
  ...cdkNag("AwsSolutions-IAM5", "Least privilege for the state machine role: no wildcard or unused lambda:InvokeFunction grants"),
  validateStack: (args, reportViolation) => {
    const machines = args.resources.filter((r) => r.type === TYPES.stateMachine);
    if (machines.length === 0) args.notApplicable("the stack has no state machine");
    for (const machine of machines) {
      const report = (message: string) => reportViolation(message, machine.urn);
      const roles = referenced(args.resources, machine, "roleArn", TYPES.role, namesRole);
      if (roles.length === 0) {
        report(`state machine "${machine.name}" runs as ${show(machine.props.roleArn)}, which is no role of this stack: create its role in the stack, so its grants can be checked`);
        continue;
      }
      const definition = known(() => machine.props.definition as unknown);
      for (const role of roles) {
        if (definition.known) compareValues(definition.value, args.resources, machine, role, report);
        else compareDependencies(args.resources, machine, role, report);
      }
    }
  },
};

export const iamPolicies = [iamNoWildcardActions, iamNoStarResource, iamNoAdminManagedPolicies, stateMachineRoleInvokesDefinitionFunctions];
