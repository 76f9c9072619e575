import next from "eslint-config-next/core-web-vitals";
import ts from "eslint-config-next/typescript";

const config = [
  ...next,
  ...ts,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "warn",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Feature code builds its UI from components/ui (CONTRIBUTING.md, "UI"): a raw control or a
    // table spelled in classes drifts from the rest of the app and loses the primitives' care.
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    ignores: ["components/ui/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "JSXOpeningElement[name.name=/^(button|input|select|textarea|table|thead)$/]",
          message:
            "Use the primitive from components/ui (Button, Input, Checkbox, Select, Textarea, Table, THead) instead of the raw element.",
        },
        {
          selector:
            "JSXAttribute[name.name='className'] Literal[value=/(\\bw-full\\b.*\\btext-left\\b|bg-slate-100 text-xs uppercase|border-slate-300 px-2 py-1)/]",
          message:
            "A table or control spelled in classes: use Table/THead/Input/Button from components/ui.",
        },
      ],
    },
  },
  {
    ignores: [
      "lib/generated/**",
      ".next/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
    ],
  },
];

export default config;
