import type { BenefitKind, Measure, PolicyDocument } from "../types.js";
import { vocabulary } from "./vocabulary.js";

export interface MeasureClassification {
  /** Beneficiary ids, in vocabulary order; empty when the clause names nobody it is for. */
  beneficiaries: string[];
  benefitKind: BenefitKind;
  sectors: string[];
  /** For each beneficiary, the words of the clause that named it: the reason a match shows. */
  phrases: Record<string, string>;
}

/** Where the labelled lines start (牵头单位：…): the units listed there are who acts, not who benefits. */
const LABELLED_LINES = /\s*(牵头单位|责任单位|配合单位|完成时限|完成时间)[：:][\s\S]*$/;
/** "除机关、事业单位法人、外国投资人等特殊情形外": the groups named there are left out, not included. */
const EXCEPTIONS = /除[^，。；]{1,40}外/g;

/** The clause as read for its beneficiaries: without the units that carry it out or the groups it excepts. */
export function beneficiaryText(measure: Measure): string {
  return measure.text.replace(LABELLED_LINES, "").replace(EXCEPTIONS, "");
}

function findBeneficiaries(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const term of vocabulary.beneficiaries) {
    for (const pattern of term.patterns) {
      const match = text.match(pattern);
      if (match) {
        found.set(term.id, match[0]);
        break;
      }
    }
  }
  return found;
}

/** 企业 yields to any more specific group (中小微企业, 所有市场主体 …) the clause names. */
function withoutGenericWhenSpecific(found: Map<string, string>): Map<string, string> {
  const specific = vocabulary.beneficiaries.filter((b) => !b.generic && b.id !== "个人").some((b) => found.has(b.id));
  if (specific) for (const term of vocabulary.beneficiaries.filter((b) => b.generic)) found.delete(term.id);
  return found;
}

/** Each kind's score: a pattern in the opening sentence (the clause's own heading) counts twice. */
export function kindScores(text: string): Map<BenefitKind, number> {
  const [opening = "", ...rest] = text.split(/(?<=。)/);
  const body = rest.join("");
  const scores = new Map<BenefitKind, number>();
  for (const kind of vocabulary.benefitKinds) {
    let score = 0;
    for (const { pattern, weight } of kind.patterns) {
      if (pattern.test(opening)) score += 2 * weight;
      else if (pattern.test(body)) score += weight;
    }
    scores.set(kind.id, score);
  }
  return scores;
}

/** A clause naming nobody it is for must show a clear benefit to count as one. */
const MIN_SCORE_WITHOUT_BENEFICIARY = 5;

/**
 * A task is internal when it names nobody it is for, or when its internal
 * words outweigh every kind of benefit; otherwise the best-scoring kind wins,
 * ties going to the kind listed first (the more directly useful).
 */
function chooseKind(scores: Map<BenefitKind, number>, namesBeneficiary: boolean): BenefitKind {
  const internal = scores.get("internal") ?? 0;
  let best: BenefitKind = "internal";
  let bestScore = 0;
  for (const [kind, score] of scores) {
    if (kind !== "internal" && score > bestScore) {
      best = kind;
      bestScore = score;
    }
  }
  if (!namesBeneficiary && bestScore < MIN_SCORE_WITHOUT_BENEFICIARY) return "internal";
  if (internal > bestScore) return "internal";
  // A clause that names who it is for but none of the benefit words still serves them.
  return bestScore > 0 ? best : "service";
}

/**
 * Who a measure is for, what kind of benefit it gives and the sectors it
 * names, by the rules and vocabulary in vocabulary.json. The clause's own
 * text decides; its headings are read only when the clause names nobody.
 */
export function classifyMeasure(measure: Measure, _document?: PolicyDocument): MeasureClassification {
  const text = beneficiaryText(measure);
  let found = withoutGenericWhenSpecific(findBeneficiaries(text));
  if (![...found.keys()].some((id) => id !== "企业")) {
    const headings = findBeneficiaries(measure.path.slice(0, -1).join("。"));
    for (const id of ["所有市场主体", "企业"]) if (headings.has(id) && !found.has(id)) found.set(id, headings.get(id)!);
    found = withoutGenericWhenSpecific(found);
  }
  const benefitKind = chooseKind(kindScores(text), found.size > 0);
  const sectors = vocabulary.sectors.filter((s) => s.patterns.some((p) => p.test(text))).map((s) => s.id);
  const beneficiaries = vocabulary.beneficiaries.map((b) => b.id).filter((id) => found.has(id));
  return { beneficiaries, benefitKind, sectors, phrases: Object.fromEntries(found) };
}
