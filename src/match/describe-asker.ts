import { findRegions, regionPath } from "../corpus/regions.js";
import type { Concept } from "../search/query.js";
import type { Profile } from "./profile.js";
import { findEntityType, findSector } from "./vocabulary.js";

/** The asker speaks about themselves: 我是…, 我们公司…, 本人开了…. */
const SELF = /(我|我们|本人|咱|俺)们?(是|家|开|在|这|做|经营|办|有一?家|有个|[^，,。！!？?；;\s]{0,4}?(公司|企业|单位|厂|店|作坊|合作社))/;
/** …and asks what applies to them, not about one clause. */
const ASKS_WHAT_APPLIES =
  /(什么|哪些|啥|哪几[项条个种]|哪种).{0,6}?(政策|优惠|扶持|补贴|支持|措施|福利|好处)|能享受|可以享受|可享受|享受到|应享未享|适用(哪些|什么|啥)|有没有.{0,8}(政策|优惠|补贴|扶持)/;
const CLAUSES = /[，,。！!？?；;\s]+/;
/** Words of a need: 想少交点检测费, 需要贷款. */
const NEED_CUE = /想|需要|希望|缺|打算|准备|贷款|融资|减免|补贴|少交|降低|办理|申请|招工|注销|开办/;
/** Words an ask clause is made of besides its topic: 有什么贷款政策 → 贷款. */
const ASK_WORDS =
  /有|没有|什么|哪些|啥|哪几[项条个种]|哪种|样的|惠企|政策|措施|优惠|扶持|支持|福利|好处|能|可以|可|享受到?|申请|适用|应享未享|我们?|的|吗|呢|请问|一下|帮忙|看看|查查/g;

/** 从奎屯过来, 来自伊犁的: where the asker comes from, not where the business is. */
const ORIGIN = /(?:从|来自)[^，,。；;\s]{2,8}?(?=过来|来的|来到|来)/g;

function mostSpecificPlace(text: string): string | undefined {
  const here = findRegions(text.replace(ORIGIN, ""));
  const places = here.length ? here : findRegions(text);
  return places.find((place) => regionPath(place).length > 1) ?? places[0];
}

/** A concept this rare (in at most ~5% of clauses) is a matter of its own, not a word of the self-description. */
const NEED_WEIGHT = 3;
/** Words of asking what applies (享受, 优惠) are rare in the clauses but name no need. */
const ASKING = /享受|优惠|政策|措施|扶持|支持|福利|好处|帮上忙|适用/;

/**
 * The concrete matter inside a self-description ("我们是昌吉一家小科技公司……缺流动资金，专利被仿冒"): the rare
 * topics of the question that are not who or where the asker is. A description with such a matter is a question
 * about it, answered clause by clause; one without (我是哈密的个体户，开饭馆的) is a profile for the matcher.
 */
export function needOf(concepts: Concept[]): Concept[] {
  return concepts.filter(
    (c) =>
      c.known && c.weight >= NEED_WEIGHT && !c.forms.some((form) => ASKING.test(form) || findEntityType(form) || findSector(form) || findRegions(form).length),
  );
}

function needsOf(clauses: string[]): string | undefined {
  const needs: string[] = [];
  for (const clause of clauses) {
    if (ASKS_WHAT_APPLIES.test(clause)) {
      const topic = clause.replace(ASK_WORDS, "").trim();
      if (topic.length >= 2) needs.push(topic);
    } else if (!SELF.test(clause) && NEED_CUE.test(clause)) {
      needs.push(clause);
    }
  }
  return needs.length ? needs.join("，") : undefined;
}

/**
 * The profile in a question that describes the asker and asks what applies
 * to them ("我是哈密的个体户，开饭馆的，有什么政策能享受？"); undefined for any
 * other question, which `ask` answers clause by clause as before.
 */
/** The asker tells of themselves (我们是……, 我在……开了个……), whatever they go on to ask. */
export const tellsOfAsker = (question: string): boolean => SELF.test(question);

export function describesAsker(question: string): Profile | undefined {
  if (!SELF.test(question) || !ASKS_WHAT_APPLIES.test(question)) return undefined;
  const entityType = findEntityType(question)?.id;
  const sector = findSector(question);
  if (!entityType && !sector) return undefined;
  const region = mostSpecificPlace(question);
  const needs = needsOf(question.split(CLAUSES).filter(Boolean));
  return {
    ...(region ? { region } : {}),
    ...(entityType ? { entityType } : {}),
    ...(sector ? { sector } : {}),
    ...(needs ? { needs } : {}),
    includeInternal: false,
  };
}
