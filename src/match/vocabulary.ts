import type { BenefitKind } from "../types.js";
import data from "./vocabulary.json" with { type: "json" };

/** One group a measure can be for, found by any of its patterns. */
export interface BeneficiaryTerm {
  id: string;
  patterns: RegExp[];
  /** A catch-all (企业) that yields to any more specific group a clause names. */
  generic: boolean;
}

/** What a profile may say it is, and the beneficiaries such an asker qualifies as. */
export interface EntityType {
  id: string;
  label: string;
  patterns: RegExp[];
  qualifies: string[];
}

export interface BenefitKindTerm {
  id: BenefitKind;
  label: string;
  patterns: Array<{ pattern: RegExp; weight: number }>;
}

export interface SectorTerm {
  id: string;
  patterns: RegExp[];
}

export interface Vocabulary {
  beneficiaries: BeneficiaryTerm[];
  entityTypes: EntityType[];
  /** In order of usefulness to an asker: the order groups are listed in. */
  benefitKinds: BenefitKindTerm[];
  sectors: SectorTerm[];
}

const compile = (patterns: string[]) => patterns.map((p) => new RegExp(p));

/** The vocabulary in src/match/vocabulary.json, compiled once. */
export const vocabulary: Vocabulary = {
  beneficiaries: data.beneficiaries.map((b) => ({ id: b.id, patterns: compile(b.patterns), generic: "generic" in b && b.generic === true })),
  entityTypes: data.entityTypes.map((e) => ({ ...e, patterns: compile(e.patterns) })),
  benefitKinds: data.benefitKinds.map((k) => ({
    id: k.id as BenefitKind,
    label: k.label,
    patterns: k.patterns.map(([pattern, weight]) => ({ pattern: new RegExp(String(pattern)), weight: Number(weight) })),
  })),
  sectors: data.sectors.map((s) => ({ id: s.id, patterns: compile(s.patterns) })),
};

export function kindLabel(kind: BenefitKind): string {
  return vocabulary.benefitKinds.find((k) => k.id === kind)?.label ?? kind;
}

/** A pattern names the text: anywhere in it, or (exact) the whole of it. */
const names = (pattern: RegExp, text: string, exact: boolean) => (exact ? pattern.exec(text)?.[0] === text : pattern.test(text));

/** The entity type a text names, by id, label or pattern (个体户 → 个体工商户); `exact` for form input, where the whole text must be one. */
export function findEntityType(text: string, { exact = false } = {}): EntityType | undefined {
  const trimmed = text.trim();
  return (
    vocabulary.entityTypes.find((e) => e.id === trimmed || e.label === trimmed) ??
    vocabulary.entityTypes.find((e) => e.patterns.some((p) => names(p, trimmed, exact)))
  );
}

/** The sector a text names (饭馆 → 餐饮), by id or pattern; `exact` as for entity types. */
export function findSector(text: string, { exact = false } = {}): string | undefined {
  const trimmed = text.trim();
  return vocabulary.sectors.find((s) => s.id === trimmed || s.patterns.some((p) => names(p, trimmed, exact)))?.id;
}
