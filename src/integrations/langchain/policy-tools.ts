import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { clauseText } from "../clause-view.js";
import { answerView, type PolicyOperations } from "../policy-operations.js";
import { askInput, descriptions, getMeasureInput, matchEnterpriseInput, searchMeasuresInput } from "../tool-schemas.js";

/**
 * The knowledge base as LangChain tools. Each returns content and artifact: the content is text a model reads
 * and quotes (the answer with its 依据 lines, or clauses with their citation and validity), the artifact the
 * same as structured data, so the application renders citations without parsing the model's words.
 * A bad argument throws a PolicyInputError whose Chinese message names it (ToolNode hands it to the model).
 */
export function createPolicyTools(operations: PolicyOperations) {
  const askPolicy = tool(
    async ({ question, history }) => {
      const answer = await operations.ask(question, history ?? []);
      return [answer.text, answerView(answer)];
    },
    { name: "ask_policy", description: descriptions.ask, schema: z.object(askInput), responseFormat: "content_and_artifact" },
  );

  const searchMeasures = tool(
    async (input) => {
      const clauses = await operations.searchMeasures(input);
      const text = clauses.length ? clauses.map((clause, i) => clauseText(clause, i + 1)).join("\n\n") : "知识库中没有找到相关条款。";
      return [text, clauses];
    },
    { name: "search_measures", description: descriptions.searchMeasures, schema: z.object(searchMeasuresInput), responseFormat: "content_and_artifact" },
  );

  const getMeasure = tool(
    async ({ measureId }) => {
      const clause = operations.getMeasure(measureId);
      return [clauseText(clause, 1), clause];
    },
    { name: "get_measure", description: descriptions.getMeasure, schema: z.object(getMeasureInput), responseFormat: "content_and_artifact" },
  );

  const matchEnterprise = tool(
    async (input) => {
      const { result, answer } = await operations.matchEnterprise(input);
      return [answer.text, result];
    },
    { name: "match_enterprise", description: descriptions.matchEnterprise, schema: z.object(matchEnterpriseInput), responseFormat: "content_and_artifact" },
  );

  return [askPolicy, searchMeasures, getMeasure, matchEnterprise];
}
