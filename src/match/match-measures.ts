import { measureCitation } from "../answer/citations.js";
import { validityOf } from "../answer/validity.js";
import { regionCovers } from "../corpus/regions.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { BenefitKind, Citation, IsoDate, Measure, PolicyDocument, ValidityStatus } from "../types.js";
import { classifiedMeasures } from "./classified.js";
import type { MeasureClassification } from "./classify.js";
import type { Profile } from "./profile.js";
import { kindLabel, vocabulary } from "./vocabulary.js";

export interface MatchItem {
  measureId: string;
  kind: BenefitKind;
  /** A short line for lists: the clause's opening words. */
  title: string;
  /** Figures the clause states (30%-50%, 1个工作日), for the list line. */
  figures: string[];
  region: string;
  status: ValidityStatus;
  /** 有效, 长期, 已到期 …; absent for undated measures. */
  validityLabel?: string;
  validity?: string;
  /** Why it matched, in plain Chinese: the beneficiary it names, the place, the sector, the need. */
  reasons: string[];
  citation: Citation;
  /** How well it answers `needs`, 0..1; 0 without needs. */
  relevance: number;
  score: number;
}

export interface MatchGroup {
  kind: BenefitKind;
  label: string;
  items: MatchItem[];
}

export interface MatchResult {
  profile: Profile;
  today: IsoDate;
  /** In force or undated, grouped by kind of benefit, the most useful group and item first. */
  groups: MatchGroup[];
  /** Ended measures, grouped the same way and shown apart. */
  ended: MatchGroup[];
  /** Internal government tasks in the asker's places; empty unless the profile asks for them. */
  internal: MatchItem[];
  /** How many measures were left out, and why. */
  excluded: { otherPlaces: number; internal: number; notForProfile: number };
}

/** What an entity type qualifies as, when the profile names none: what every market player is. */
const ANY_MARKET_PLAYER = ["所有市场主体", "纳税人"];
/** Groups that say nothing about size or ownership; a clause naming only these is for whoever its sector says. */
const UNSPECIFIC = new Set(["企业", "个人"]);
/** A need counts for a clause scoring at least this share of the best clause for it. */
const RELEVANT_SHARE = 0.5;

function qualifiesAs(profile: Profile): string[] {
  return vocabulary.entityTypes.find((e) => e.id === profile.entityType)?.qualifies ?? ANY_MARKET_PLAYER;
}

/** A place covers a measure when its document is for that place or a place above it; no place means province-wide only. */
function inPlace(document: PolicyDocument, profile: Profile): boolean {
  return profile.region ? regionCovers(document.region, profile.region) : document.regionPath.length === 1;
}

/** A clause whose only named groups are unspecific (企业) but that names a sector is for that sector alone. */
function sectorAllows(classification: MeasureClassification, profile: Profile): boolean {
  const restricted = classification.sectors.length > 0 && classification.beneficiaries.every((b) => UNSPECIFIC.has(b));
  return !restricted || (profile.sector !== undefined && classification.sectors.includes(profile.sector));
}

/** Opening clauses that say on whose word, not what: 按照国家知识产权局统一安排，… */
const PREAMBLE = /^(按照|根据|依据|依照|结合|为深入|为进一步)/;

export function measureTitle(measure: Measure): string {
  const opening = (measure.heading ?? measure.text).split(/[。；;：:\n]/)[0].trim();
  const clauses = opening.split("，");
  const first = clauses.find((clause) => !PREAMBLE.test(clause)) ?? clauses[0];
  const clause = opening.length > 30 || first !== clauses[0] ? first : opening;
  return clause.length > 30 ? `${clause.slice(0, 29)}…` : clause;
}

/** How close the beneficiary is to the asker: named exactly, a wider group, everyone, or any enterprise. */
function beneficiaryWeight(beneficiary: string, profile: Profile): number {
  if (beneficiary === profile.entityType) return 3;
  if (beneficiary === "企业") return 0.5;
  if (beneficiary === "纳税人") return 0.9;
  if (ANY_MARKET_PLAYER.includes(beneficiary)) return 1;
  return 2;
}

async function needsRelevance(profile: Profile, knowledgeBase: KnowledgeBase): Promise<Map<string, number>> {
  const relevance = new Map<string, number>();
  if (!profile.needs) return relevance;
  const hits = (await knowledgeBase.retriever.search({ text: profile.needs, regions: profile.region ? [profile.region] : [], limit: 40 })).filter(
    (hit) => hit.coverage > 0,
  );
  const best = hits[0]?.score ?? 0;
  for (const hit of hits) if (best > 0 && hit.score >= best * RELEVANT_SHARE) relevance.set(hit.measureId, hit.score / best);
  return relevance;
}

function groupByKind(items: MatchItem[], byRelevance: boolean): MatchGroup[] {
  const groups = vocabulary.benefitKinds
    .map((kind) => ({ kind: kind.id, label: kind.label, items: items.filter((item) => item.kind === kind.id).sort((a, b) => b.score - a.score) }))
    .filter((group) => group.items.length > 0);
  // With needs, the group holding the most relevant clause comes first; otherwise the vocabulary's order of usefulness holds.
  if (byRelevance) groups.sort((a, b) => b.items[0].relevance - a.items[0].relevance);
  return groups;
}

/**
 * The measures a profile can use, by kind of benefit, each with its citation,
 * validity and the reasons it matched. A measure applies when its document is
 * for the asker's place or a place above it, it names a group the asker belongs
 * to (or every market player), and, when it names only a sector, the asker is
 * in that sector. Ended measures are kept apart; internal tasks are listed only
 * on request. `needs` ranks within the result through the knowledge base's retriever.
 */
export async function matchMeasures(profile: Profile, knowledgeBase: KnowledgeBase, today: IsoDate): Promise<MatchResult> {
  const classified = classifiedMeasures(knowledgeBase);
  const qualifies = qualifiesAs(profile);
  const relevance = await needsRelevance(profile, knowledgeBase);
  const excluded = { otherPlaces: 0, internal: 0, notForProfile: 0 };
  const current: MatchItem[] = [];
  const ended: MatchItem[] = [];
  const internal: MatchItem[] = [];

  for (const measure of knowledgeBase.corpus.measures) {
    const document = knowledgeBase.documentOf(measure);
    const classification = classified.get(measure.id)!;
    if (!inPlace(document, profile)) {
      excluded.otherPlaces++;
      continue;
    }
    const placeReason = placeReasonFor(document, profile);
    if (classification.benefitKind === "internal") {
      if (profile.includeInternal) internal.push(item(measure, document, classification, ["政府部门内部工作，没有直接受益对象", placeReason], 0, 0));
      else excluded.internal++;
      continue;
    }
    const named = classification.beneficiaries.filter((b) => qualifies.includes(b));
    if (!named.length || !sectorAllows(classification, profile)) {
      excluded.notForProfile++;
      continue;
    }
    const best = named.sort((a, b) => beneficiaryWeight(b, profile) - beneficiaryWeight(a, profile))[0];
    const phrase = classification.phrases[best];
    const reasons = [phrase === best ? `条款写明适用于${best}` : `条款写明适用于${best}（原文“${phrase}”）`, placeReason];
    const inSector = profile.sector !== undefined && classification.sectors.includes(profile.sector);
    if (inSector) reasons.push(`涉及${profile.sector}行业`);
    const needScore = relevance.get(measure.id) ?? 0;
    if (needScore > 0) reasons.push(`与您的需求“${profile.needs}”相关`);
    const fields = measure.fields;
    const concrete = fields.percentages.length + fields.amounts.length + fields.timeLimits.length > 0 ? 0.5 : 0;
    const local = profile.region !== undefined && document.region === profile.region ? 0.5 : 0;
    const score = beneficiaryWeight(best, profile) + (inSector ? 1 : 0) + concrete + local + 5 * needScore;
    const entry = item(measure, document, classification, reasons, needScore, score);
    (entry.status === "ended" ? ended : current).push(entry);
  }

  const byRelevance = relevance.size > 0;
  const result: MatchResult = { profile, today, groups: groupByKind(current, byRelevance), ended: groupByKind(ended, byRelevance), internal, excluded };
  numberCitations(result);
  return result;

  function item(
    measure: Measure,
    document: PolicyDocument,
    classification: MeasureClassification,
    reasons: string[],
    needScore: number,
    score: number,
  ): MatchItem {
    const validity = validityOf(measure, today, document);
    return {
      measureId: measure.id,
      kind: classification.benefitKind,
      title: measureTitle(measure),
      figures: [...measure.fields.percentages, ...measure.fields.amounts, ...measure.fields.timeLimits].slice(0, 3),
      region: document.region,
      status: validity.status,
      ...(validity.label ? { validityLabel: validity.label } : {}),
      ...(validity.sentence ? { validity: validity.sentence } : {}),
      reasons,
      citation: measureCitation(0, measure, document, score, today),
      relevance: Number(needScore.toFixed(3)),
      score: Number(score.toFixed(3)),
    };
  }
}

function placeReasonFor(document: PolicyDocument, profile: Profile): string {
  if (!profile.region) return `${document.region}全域适用`;
  if (document.region === profile.region) return `${document.region}本地措施`;
  return `${document.region}的措施，${profile.region}适用`;
}

/** Markers 1…n in the order the result lists them: current groups, ended groups, internal tasks. */
function numberCitations(result: MatchResult): void {
  let marker = 0;
  for (const group of [...result.groups, ...result.ended]) for (const entry of group.items) entry.citation.marker = ++marker;
  for (const entry of result.internal) entry.citation.marker = ++marker;
}

/** Every item of a result, in its listed order. */
export function allItems(result: MatchResult): MatchItem[] {
  return [...result.groups.flatMap((g) => g.items), ...result.ended.flatMap((g) => g.items), ...result.internal];
}

export { kindLabel };
