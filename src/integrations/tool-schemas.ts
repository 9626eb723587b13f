import { z } from "zod";
import { MAX_QUESTION_CHARS } from "../core/ask.js";
import { MAX_SEARCH_LIMIT } from "./policy-operations.js";

/**
 * The tools' inputs and descriptions, once, for both adapters: LangChain tools take `z.object(shape)`, the
 * MCP server the shape itself. Descriptions are in Chinese: the agents that call them answer in Chinese.
 */
export const askInput = {
  question: z
    .string()
    .trim()
    .min(1, "question 不能为空：请写出要问的政策问题。")
    .max(MAX_QUESTION_CHARS, `question 最多${MAX_QUESTION_CHARS}字。`)
    .describe("用中文提出的惠企政策问题，如“我的企业能减免多少检测费？”"),
  history: z
    .array(z.object({ question: z.string().describe("之前的提问"), answer: z.string().optional().describe("之前的回答") }))
    .max(20, "history 最多20轮。")
    .optional()
    .describe("同一会话中之前的问答（旧的在前），用于理解“那农业用电呢？”这类追问"),
};

export const searchMeasuresInput = {
  query: z.string().trim().min(1, "query 不能为空。").max(500, "query 最多500字。").describe("要查找的政策内容关键词或问题，如“检验检测费 减免”"),
  region: z.string().max(50).optional().describe("只看适用于该地区的文件（含上级自治区文件），如 哈密市、克拉玛依市、新疆维吾尔自治区"),
  status: z.enum(["active", "ended", "undated"]).optional().describe("按今天的有效性筛选：active 有效，ended 已到期或已废止，undated 未写明期限"),
  limit: z.number().int().min(1).max(MAX_SEARCH_LIMIT).optional().describe(`最多返回几条条款（1–${MAX_SEARCH_LIMIT}，默认8）`),
};

export const getMeasureInput = {
  measureId: z.string().trim().min(1, "measureId 不能为空。").max(200).describe("措施编号（measureId），来自 search_measures 或问答结果的引用"),
};

export const matchEnterpriseInput = {
  region: z.string().max(50).describe("企业所在地，如 哈密市、克拉玛依市、新疆维吾尔自治区"),
  entityType: z.string().max(50).describe("市场主体类型，如 个体工商户、小微企业、中型企业、民营企业、外贸企业、农民专业合作社"),
  sector: z.string().max(50).optional().describe("所属行业，如 餐饮、交通运输物流（可不填）"),
  needs: z.string().max(200).optional().describe("企业的需求，用自己的话说，如“想少交点检测费”“贷款”（用于排序）"),
  includeInternal: z.boolean().optional().describe("是否同时列出政府内部工作任务（默认不列）"),
};

export const descriptions = {
  ask: "向惠企政策知识库提问，得到经过核验的中文回答：逐条引用政策原文（文件标题、文号、发文机关、日期、条款路径、页码），并按今天说明每条措施是否仍在有效期内。找不到依据时会明确拒答并说明原因。",
  searchMeasures: "在惠企政策知识库中检索条款，返回最相关的原文条款及其文号、条款路径、页码和按今天计的有效性；可按地区和有效性筛选。",
  getMeasure: "按措施编号（measureId）取一条政策条款的原文、出处（文件、文号、条款路径、页码）和按今天计的有效性。",
  matchEnterprise: "政策匹配：按企业所在地、市场主体类型（以及行业、需求）列出它能享受的措施，按优惠类型分组，每条附出处和有效性，已到期的另列。",
};
