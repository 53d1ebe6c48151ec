// Lint rules for every TypeScript file in the repository. Type errors are `npm run typecheck`'s job.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "policy-pack/node_modules/**", "policy-pack/bin/**", "**/*.js", "**/*.mjs", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // Tests use chai-less node:assert and mocha globals; `this` in mocha hooks is fine.
    files: ["**/*.test.ts"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
);
