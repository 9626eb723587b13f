/** A short OpenAPI description of the public API, served at /api/openapi.json. */
export const openApiDocument = {
  openapi: "3.1.0",
  info: { title: "惠企政策问答 API", version: "1.0.0", description: "Answers about relief and business-environment measures, with cited clauses." },
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "Required only when API_TOKEN is set." } },
    schemas: {
      Citation: {
        type: "object",
        properties: {
          marker: { type: "integer" },
          text: { type: "string" },
          document: { type: "string" },
          docNumber: { type: ["string", "null"] },
          issuer: { type: "string" },
          date: { type: ["string", "null"] },
          path: { type: "string" },
          pages: { type: "array", items: { type: "integer" } },
          score: { type: "number" },
          status: { enum: ["active", "ended", "undated"] },
        },
      },
      Answer: {
        type: "object",
        properties: {
          answerId: { type: "string" },
          conversationId: { type: "string" },
          answer: { type: "string" },
          refused: { type: "boolean" },
          citations: { type: "array", items: { $ref: "#/components/schemas/Citation" } },
        },
      },
      Error: { type: "object", properties: { error: { type: "string" }, field: { type: "string" } } },
    },
  },
  security: [{ bearer: [] }],
  paths: {
    "/api/ask": {
      post: {
        summary: "Ask a question",
        requestBody: {
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["question"],
                properties: { question: { type: "string", maxLength: 2000 }, conversationId: { type: "string" } },
              },
            },
          },
        },
        responses: {
          "200": { description: "The answer", content: { "application/json": { schema: { $ref: "#/components/schemas/Answer" } } } },
          "400": { description: "Invalid input" },
          "429": { description: "Too many requests" },
        },
      },
    },
    "/api/ask/stream": {
      post: { summary: "Ask, answered as server-sent events (token…, then answer)", responses: { "200": { description: "text/event-stream" } } },
    },
    "/api/documents": { get: { summary: "List documents", responses: { "200": { description: "Documents" } } } },
    "/api/measures": {
      get: {
        summary: "Browse and search measures",
        parameters: ["q", "region", "issuer", "status", "page"].map((name) => ({ name, in: "query", schema: { type: "string" } })),
        responses: { "200": { description: "A page of measures" } },
      },
    },
    "/api/measures/{id}": {
      get: {
        summary: "One measure",
        parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
        responses: { "200": { description: "The measure" }, "404": { description: "Not found" } },
      },
    },
    "/api/feedback": {
      post: {
        summary: "Rate an answer",
        requestBody: {
          content: {
            "application/json": {
              schema: {
                type: "object",
                required: ["answerId", "rating"],
                properties: { answerId: { type: "string" }, rating: { enum: ["up", "down"] }, comment: { type: "string", maxLength: 1000 } },
              },
            },
          },
        },
        responses: { "200": { description: "Stored" }, "404": { description: "Unknown answer" } },
      },
    },
    "/api/unanswered": { get: { summary: "Refused or rated-down questions, newest first", responses: { "200": { description: "Rows" } } } },
    "/healthz": { get: { summary: "Process is up", security: [], responses: { "200": { description: "ok" } } } },
    "/readyz": { get: { summary: "Index is loaded", security: [], responses: { "200": { description: "ready" }, "503": { description: "not ready" } } } },
  },
};
