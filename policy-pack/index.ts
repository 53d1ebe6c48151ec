/**
 * The CrossGuard pack as the Pulumi CLI runs it (`pulumi preview --policy-pack policy-pack`).
 * Constructing a `PolicyPack` starts the analyzer's gRPC server, so nothing but the CLI imports this
 * file: tests and the offline preview use `./policies`.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  policies,
  enforcementLevel: PACK_ENFORCEMENT_LEVEL,
  description: PACK_DESCRIPTION,
  provider: "aws",
  tags: ["aws", "serverless", "security"],
});
