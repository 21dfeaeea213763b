// Translates graphql-js errors into the shape and wording Shopify's
// graphql-ruby server answers with: {message, locations, path?, extensions:{code,...}}.
import type { GraphQLError } from "graphql";

export interface ShopifyError {
  message: string;
  locations?: { line: number; column: number }[];
  path?: (string | number)[];
  extensions: Record<string, unknown>;
}

const RULES: {
  pattern: RegExp;
  build: (m: RegExpExecArray) => {
    message: string;
    extensions: Record<string, unknown>;
  };
}[] = [
  {
    pattern: /^Cannot query field "([^"]+)" on type "([^"]+)"/,
    build: (m) => ({
      message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`,
      extensions: { code: "undefinedField", typeName: m[2], fieldName: m[1] },
    }),
  },
  {
    pattern: /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"/,
    build: (m) => ({
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: {
        code: "argumentNotAccepted",
        name: m[3],
        typeName: "Field",
        argumentName: m[1],
      },
    }),
  },
  {
    pattern: /^Field "(?:[^".]+\.)?([^"]+)" argument "([^"]+)" of type "([^"]+)" is required, but it was not provided/,
    build: (m) => ({
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      extensions: {
        code: "missingRequiredArguments",
        className: "Field",
        name: m[1],
        arguments: m[2],
      },
    }),
  },
  {
    pattern: /^Unknown type "([^"]+)"/,
    build: (m) => ({
      message: `No such type ${m[1]}, so it can't be a fragment condition`,
      extensions: { code: "undefinedType", typeName: m[1] },
    }),
  },
  {
    pattern: /^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields/,
    build: (m) => ({
      message: `Field must have selections (field '${m[1]}' returns ${m[2].replace(/[![\]]/g, "")} but has no selections. Did you mean '${m[1]} { ... }'?)`,
      extensions: {
        code: "selectionMismatch",
        nodeName: `field '${m[1]}'`,
        typeName: m[2].replace(/[![\]]/g, ""),
      },
    }),
  },
  {
    pattern: /^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields/,
    build: (m) => ({
      message: `Selections can't be made on scalars (field '${m[1]}' returns ${m[2].replace(/[![\]]/g, "")} but has selections [...])`,
      extensions: {
        code: "selectionMismatch",
        nodeName: `field '${m[1]}'`,
        typeName: m[2].replace(/[![\]]/g, ""),
      },
    }),
  },
  {
    pattern: /^Variable "\$([^"]+)" is never used/,
    build: (m) => ({
      message: `Variable $${m[1]} is declared by anonymous query but not used`,
      extensions: { code: "variableNotUsed", variableName: m[1] },
    }),
  },
  {
    pattern: /^Variable "\$([^"]+)" is not defined/,
    build: (m) => ({
      message: `Variable $${m[1]} is used by anonymous query but not declared`,
      extensions: { code: "variableNotDefined", variableName: m[1] },
    }),
  },
  {
    pattern: /^Unknown fragment "([^"]+)"/,
    build: (m) => ({
      message: `Fragment ${m[1]} was used, but not defined`,
      extensions: { code: "useAndDefineFragment", fragmentName: m[1] },
    }),
  },
  {
    pattern: /^Fragment "([^"]+)" is never used/,
    build: (m) => ({
      message: `Fragment ${m[1]} was defined, but not used`,
      extensions: { code: "useAndDefineFragment", fragmentName: m[1] },
    }),
  },
  {
    pattern:
      /^(Enum "[^"]+" cannot represent|Value "[^"]*" does not exist in|Expected value of type|String cannot represent|Int cannot represent|Boolean cannot represent|ID cannot represent|Float cannot represent)/,
    build: (m) => ({
      message: m.input.replace(/"/g, "'"),
      extensions: { code: "argumentLiteralsIncompatible" },
    }),
  },
  {
    pattern: /^Variable "\$([^"]+)" of type "([^"]+)" used in position expecting type "([^"]+)"/,
    build: (m) => ({
      message: `Nullability mismatch on variable $${m[1]} and argument (${m[2]} / ${m[3]})`,
      extensions: {
        code: "variableMismatch",
        variableName: m[1],
        typeName: m[2],
      },
    }),
  },
];

export function formatValidationError(error: GraphQLError): ShopifyError {
  const base = {
    locations: error.locations?.map((l) => ({
      line: l.line,
      column: l.column,
    })),
  };
  for (const rule of RULES) {
    const match = rule.pattern.exec(error.message);
    if (match) return { ...base, ...rule.build(match) };
  }
  // Anything else graphql-js rejects is still a validation failure.
  return {
    ...base,
    message: error.message.replace(/"/g, "'"),
    extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
  };
}

export function formatSyntaxError(error: GraphQLError): ShopifyError {
  const unexpected = /Syntax Error: (.*)$/.exec(error.message)?.[1] ?? error.message;
  return {
    message: `syntax error, ${unexpected.replace(/"/g, "'")}`,
    locations: error.locations?.map((l) => ({
      line: l.line,
      column: l.column,
    })),
    extensions: { code: "PARSE_ERROR" },
  };
}

export function formatExecutionError(error: GraphQLError): ShopifyError {
  return {
    message: error.message,
    locations: error.locations?.map((l) => ({
      line: l.line,
      column: l.column,
    })),
    path: error.path ? [...error.path] : undefined,
    extensions: { code: "INTERNAL_SERVER_ERROR", ...(error.extensions ?? {}) },
  };
}
