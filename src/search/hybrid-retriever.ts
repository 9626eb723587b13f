import { LRUCache } from "lru-cache";
import { regionPath } from "../corpus/regions.js";
import type { Corpus, Embedder, Measure, PolicyDocument, Retriever, SearchHit, SearchQuery } from "../types.js";
import { layoutOf } from "./corpus-layout.js";
import type { KeywordIndex } from "./keyword-index.js";
import { analyseQuery, coverage, type Lexicon } from "./query.js";
import type { VectorIndex } from "./vector-index.js";

export interface HybridRetrieverOptions {
  corpus: Corpus;
  keywordIndex: KeywordIndex;
  lexicon: Lexicon;
  vectorIndex?: VectorIndex;
  embedder?: Embedder;
  /** Share of the fused score that comes from vectors. */
  vectorWeight?: number;
  candidates?: number;
}

/** Place-and-document preferences kept per retriever: a few hundred arrays of one float per document at most. */
const KEPT_PREFERENCES = 256;

const searchTexts = new WeakMap<Measure, { document: PolicyDocument; text: string }>();

/**
 * The text a measure is found by: its clause, its headings, its document and place. Kept per measure once
 * asked for: every search builds it for each candidate, and so does judging. A corrected document is a new
 * object, so a kept text never outlives the title it was built with.
 */
export function searchText(measure: Measure, document: PolicyDocument): string {
  const kept = searchTexts.get(measure);
  if (kept?.document === document) return kept.text;
  const text = [measure.path.slice(0, -1).join(" "), measure.text, document.shortTitle, document.region].join("\n");
  searchTexts.set(measure, { document, text });
  return text;
}

/**
 * Keyword and vector search fused by normalised score, then adjusted for the
 * place the question names and for how much of the question a clause covers.
 */
export class HybridRetriever implements Retriever {
  /** Each measure's document, as an index into corpus.documents. */
  private readonly documentIndex: Uint32Array;

  constructor(private readonly options: HybridRetrieverOptions) {
    this.documentIndex = layoutOf(options.corpus).documentOf;
    this.texts = new Array<string | undefined>(options.corpus.measures.length).fill(undefined);
  }

  /**
   * Each candidate's search text by position, once built: this retriever's clauses and documents never change, and
   * at 100,000 clauses finding a text by its measure (a WeakMap that large) for each candidate of every search
   * cost a few percent of an answer.
   */
  private readonly texts: Array<string | undefined>;
  private searchTextOf(doc: number, document: PolicyDocument): string {
    let text = this.texts[doc];
    if (text === undefined) {
      text = searchText(this.options.corpus.measures[doc], document);
      this.texts[doc] = text;
    }
    return text;
  }

  private documentOf(doc: number): PolicyDocument {
    return this.options.corpus.documents[this.documentIndex[doc]];
  }

  /** Each document's factor for these places and documents; questions name few places, so the arrays are kept. */
  private readonly factorsByPreference = new LRUCache<string, Float32Array>({ max: KEPT_PREFERENCES });
  preferenceFactors(regions: string[], documents: string[]): Float32Array {
    const { documents: all } = this.options.corpus;
    const key = `${all.length}|${regions.join(",")}|${documents.join(",")}`;
    const kept = this.factorsByPreference.get(key);
    if (kept) return kept;
    // Thousands of documents share a few dozen places: each place's factor is worked out once, and the pass over
    // the documents reads it from an array. This runs once per new place asked, interpreted rather than compiled,
    // where a call per document cost a millisecond at 2,780 documents.
    const { places, placeOf } = this.placesOfDocuments();
    const byPlace = places.map((place) => regionFactor(place, regions));
    const factors = new Float32Array(all.length);
    if (!documents.length) for (let d = 0; d < all.length; d++) factors[d] = byPlace[placeOf[d]];
    else {
      const named = new Set(documents);
      // As documentFactor weighs them.
      for (let d = 0; d < all.length; d++) factors[d] = byPlace[placeOf[d]] * (named.has(all[d].id) ? 1.4 : 0.6);
    }
    this.factorsByPreference.set(key, factors);
    return factors;
  }

  /** The first document of each place, and each document's place as an index into those. */
  private places?: { places: PolicyDocument[]; placeOf: Uint32Array };
  private placesOfDocuments(): { places: PolicyDocument[]; placeOf: Uint32Array } {
    const { documents: all } = this.options.corpus;
    if (this.places?.placeOf.length === all.length) return this.places;
    const indexOf = new Map<string, number>();
    const places: PolicyDocument[] = [];
    const placeOf = new Uint32Array(all.length);
    all.forEach((document, d) => {
      let at = indexOf.get(document.region);
      if (at === undefined) {
        at = places.push(document) - 1;
        indexOf.set(document.region, at);
      }
      placeOf[d] = at;
    });
    this.places = { places, placeOf };
    return this.places;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const { corpus, keywordIndex, vectorIndex, embedder, vectorWeight = 0.25, candidates = 60 } = this.options;
    const analysed = analyseQuery(query.text, keywordIndex, this.options.lexicon);
    const regions = query.regions.length ? query.regions : analysed.regions;

    const vectorScores = new Map<number, number>();
    if (vectorIndex && embedder && vectorWeight > 0) {
      // An embedder that fails has logged and counted it; the search goes on with keywords alone.
      const [vector] = await embedder.embed([analysed.embedText]).catch((): Float32Array[] => []);
      if (vector) for (const hit of vectorIndex.search(vector, candidates)) vectorScores.set(hit.doc, Math.max(0, hit.similarity));
    }
    const maxVector = Math.max(0, ...vectorScores.values());

    // The place preference weighs every keyword score before the top-k cut: when cities copy their province's
    // text, hundreds of clauses tie, and the named place's copy must not be cut away before it is boosted.
    const factors = this.preferenceFactors(regions, query.documents ?? []);
    const keyword = keywordIndex.scorer(analysed.terms);
    // A vector hit outside the keyword top still has its keyword score, weighed as those in it are; read before
    // the top, which clears the scores.
    const keywordScores = new Map<number, number>();
    for (const doc of vectorScores.keys()) keywordScores.set(doc, Math.fround(keyword.score(doc) * factors[this.documentIndex[doc]]));
    const { docs: keywordTop, scores: topScores } = keyword.top(candidates, factors, this.documentIndex);
    for (const [i, doc] of keywordTop.entries()) keywordScores.set(doc, topScores[i]);
    const maxKeyword = topScores[0] ?? 0;

    const pool = new Set([...keywordTop, ...vectorScores.keys()]);
    const hits: SearchHit[] = [];
    for (const doc of pool) {
      const keywordScore = maxKeyword ? keywordScores.get(doc)! / maxKeyword : 0;
      const vectorScore = maxVector ? (vectorScores.get(doc) ?? 0) / maxVector : 0;
      // Built per candidate, not kept for every clause: at 100,000 clauses that costs a start a few hundred ms.
      const document = this.documentOf(doc);
      const covered = coverage(analysed.concepts, this.searchTextOf(doc, document));
      // Keyword scores already carry the place preference; the vector part gets it here.
      const region = regionFactor(document, regions) * documentFactor(document, query.documents ?? []);
      const score = ((1 - vectorWeight) * keywordScore + vectorWeight * vectorScore * region) * (0.4 + 0.6 * covered);
      hits.push({ measureId: corpus.measures[doc].id, score, keywordScore, vectorScore, coverage: covered });
    }
    return hits.sort((a, b) => b.score - a.score).slice(0, query.limit ?? 10);
  }
}

/** A question that names a document ("政法委的50条措施") wants that document's clauses first. */
export function documentFactor(document: PolicyDocument, documents: string[]): number {
  if (!documents.length) return 1;
  return documents.includes(document.id) ? 1.4 : 0.6;
}

/**
 * A question that names a place prefers that place's measures, keeps those of
 * the province above it and, a little lower, of the cities within it, and
 * pushes other places down. A question that names
 * none slightly prefers province-wide measures, which apply to everyone.
 */
export function regionFactor(document: PolicyDocument, regions: string[]): number {
  if (!regions.length) return document.regionPath.length > 1 ? 0.85 : 1;
  if (regions.includes(document.region)) return 1.3;
  if (regions.some((region) => regionPath(region).includes(document.region))) return 1;
  // A city's measure inside the named province still applies there, below the province's own.
  if (regions.some((region) => document.regionPath.includes(region))) return 0.8;
  return 0.3;
}
