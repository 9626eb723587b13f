/**
 * Dependencies point one way (docs/architecture.md). Each layer may import the layers below it and never
 * one above, and folders on the same layer do not import each other, so a feature can be read, tested and
 * replaced without what sits above it. Files at src/ root (types, errors, config, logger) are shared by all.
 */
const LAYERS = [
  ["channels", "eval"], // adapters and tools: translate in, render out
  ["core"], // ask, the dispatcher, the runtime that wires everything
  ["review", "handoff"], // the staff review queue reads the library; hand-offs teach it
  ["library", "match", "documents"], // features beside answering
  ["answer"], // deciding and composing an answer
  ["cluster"], // state shared by instances
  ["conversation", "search", "store", "ingest"], // conversation memory, indexes, persistence, reading files
  ["corpus", "privacy"], // parsing, masking
];

const folder = (names) => `^src/(${names.join("|")})/`;

const layerRules = LAYERS.flatMap((layer, index) =>
  layer.map((name) => {
    const forbidden = LAYERS.slice(0, index + 1)
      .flat()
      .filter((other) => other !== name);
    return {
      name: `layer-${name}`,
      comment: `${name}/ may import only layers below it: not ${forbidden.join(", ")}`,
      severity: "error",
      from: { path: folder([name]) },
      to: { path: folder(forbidden) },
    };
  }),
);

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment:
        "A cycle that runs at load time (every step a runtime import): modules half-initialised at import. Cycles through a type-only import vanish when compiled.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "types-are-a-leaf",
      comment: "src/types.ts declares the shared shapes; it imports no folder.",
      severity: "error",
      from: { path: "^src/types\\.ts$" },
      to: { path: "^src/[^/]+/" },
    },
    ...layerRules,
  ],
  options: {
    // Tests and their fixtures may reach across layers to build what they test.
    exclude: { path: "(\\.test\\.ts$|/__fixtures__/|^src/types-external/)" },
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".mts", ".js", ".mjs", ".json"] },
  },
};
