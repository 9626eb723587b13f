import { findRegions, isKnownRegion, regionPath } from "../corpus/regions.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { findEntityType, findSector } from "./vocabulary.js";

/** Who is asking: where they are, what kind of market player, their sector and what they need. */
export interface Profile {
  /** Canonical place name (哈密市); without one, only measures for a whole province apply. */
  region?: string;
  /** An entity type id from vocabulary.json (个体工商户, 小微企业 …); without one, only measures for every market player apply. */
  entityType?: string;
  /** A sector id from vocabulary.json (餐饮 …). */
  sector?: string;
  /** Free text ("想少交点检测费", "贷款") that ranks the result. */
  needs?: string;
  /** List internal government tasks (督查, 考核 …) too; they are left out by default. */
  includeInternal?: boolean;
}

export interface ProfileInput {
  region?: string;
  entityType?: string;
  sector?: string;
  needs?: string;
  includeInternal?: boolean;
}

export type ProfileCheck = { ok: true; profile: Profile } | { ok: false; field: keyof ProfileInput; error: string };

export const MAX_NEEDS_CHARS = 200;

/** 哈密 → 哈密市; undefined for a name that is no known place. */
export function canonicalRegion(text: string): string | undefined {
  const trimmed = text.trim();
  if (isKnownRegion(trimmed)) return trimmed;
  const [found] = findRegions(trimmed);
  return found && trimmed.length <= found.length + 2 ? found : undefined;
}

/** True when some document of the knowledge base applies in `region` (its own, or its province's). */
export function regionIsCovered(region: string, knowledgeBase: KnowledgeBase): boolean {
  return regionPath(region).some((place) => knowledgeBase.corpus.documents.some((d) => d.region === place));
}

/**
 * A profile from what a form or an API call sent, or the first field that is
 * wrong: the HTTP route answers 400 naming it. A place, and an entity type,
 * are both required here.
 */
export function checkProfile(input: ProfileInput, knowledgeBase: KnowledgeBase): ProfileCheck {
  if (!input.region?.trim()) return { ok: false, field: "region", error: "region is required (e.g. 哈密市)" };
  const region = canonicalRegion(input.region);
  if (!region) return { ok: false, field: "region", error: `unknown region ${input.region.trim()}` };
  if (!regionIsCovered(region, knowledgeBase)) {
    const covered = [...new Set(knowledgeBase.corpus.documents.map((d) => d.region))].join("、");
    return { ok: false, field: "region", error: `the knowledge base has no measures for ${region} (it covers ${covered})` };
  }
  if (!input.entityType?.trim()) return { ok: false, field: "entityType", error: "entityType is required (e.g. 个体工商户)" };
  const entityType = findEntityType(input.entityType, { exact: true });
  if (!entityType) return { ok: false, field: "entityType", error: `unknown entityType ${input.entityType.trim()}` };
  let sector: string | undefined;
  if (input.sector?.trim()) {
    sector = findSector(input.sector, { exact: true });
    if (!sector) return { ok: false, field: "sector", error: `unknown sector ${input.sector.trim()}` };
  }
  const needs = input.needs?.trim();
  if (needs && needs.length > MAX_NEEDS_CHARS) return { ok: false, field: "needs", error: `needs must be at most ${MAX_NEEDS_CHARS} characters` };
  return {
    ok: true,
    profile: { region, entityType: entityType.id, ...(sector ? { sector } : {}), ...(needs ? { needs } : {}), includeInternal: input.includeInternal === true },
  };
}
