import { findRegions, regionPath } from "../corpus/regions.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import type { Citation, Measure, SearchHit } from "../types.js";
import { clauseSentences } from "./excerpt.js";
import { nearCopy, type OverviewItem } from "./summary.js";

/**
 * The sides of an answer: the places a comparison sets side by side, what differs between copies, and a city's own
 * version of its province's measure.
 */

/** A clause chosen for an answer, with its citation. */
export interface Chosen {
  hit: SearchHit;
  measure: Measure;
  citation: Citation;
}

const PROVINCE_WORD = /自治区|全区|全疆|省级|全省/;

/** The places a comparison names, in the order named; 自治区 beside a city names that city's province. */
export function comparedPlaces(question: string, regions: string[]): string[] {
  const places = findRegions(question);
  if (PROVINCE_WORD.test(question)) {
    const province = [...places, ...regions].map((r) => regionPath(r).at(-1)!).find(Boolean);
    if (province && !places.includes(province)) {
      const at = question.search(PROVINCE_WORD);
      const before = places.filter((p) => question.indexOf(p.slice(0, 2)) < at);
      places.splice(before.length, 0, province);
    }
  }
  return places;
}

/** Measures by heading, made once per knowledge base: looking a heading up must not walk every measure per answer. */
const byHeading = new WeakMap<KnowledgeBase, Map<string, Measure[]>>();
function measuresHeaded(knowledgeBase: KnowledgeBase, heading: string): Measure[] {
  let index = byHeading.get(knowledgeBase);
  if (!index) {
    index = new Map();
    for (const measure of knowledgeBase.corpus.measures) {
      if (!measure.heading) continue;
      const same = index.get(measure.heading);
      if (same) same.push(measure);
      else index.set(measure.heading, [measure]);
    }
    byHeading.set(knowledgeBase, index);
  }
  return index.get(heading) ?? [];
}

/** Builds the measures-by-heading map of a knowledge base before the first question about a city. */
export function prepareHeadings(knowledgeBase: KnowledgeBase): void {
  measuresHeaded(knowledgeBase, "");
}

/**
 * A city's plan often carries its province's measure under the same heading (着力规范金融服务收费), in words of its
 * own that a search for the province's wording ranks lower. Asked about the city, its own version is answered beside
 * the province's, so the city's clause is never said to be missing while it exists.
 */
export function withCounterparts(picked: SearchHit[], regions: string[], knowledgeBase: KnowledgeBase, maxLead: number): SearchHit[] {
  const cities = regions.filter((r) => regionPath(r).length > 1);
  if (!cities.length || !picked.length) return picked;
  const measureOf = (hit: SearchHit) => knowledgeBase.measuresById.get(hit.measureId)!;
  if (picked.some((h) => cities.includes(knowledgeBase.documentOf(measureOf(h)).region))) return picked;
  const out: SearchHit[] = [];
  for (const hit of picked) {
    out.push(hit);
    const heading = measureOf(hit).heading;
    if (!heading || out.length >= maxLead) continue;
    const own = measuresHeaded(knowledgeBase, heading).find(
      (m) => cities.includes(knowledgeBase.documentOf(m).region) && !out.some((o) => o.measureId === m.id),
    );
    if (own) out.push({ ...hit, measureId: own.id });
  }
  return out;
}

/**
 * A comparison whose sides copy each other word for word has no difference in them: each copying side's next clause
 * on the topic that copies nobody (the place's own addition) is where the sides differ.
 */
export function withDifferences(
  picked: SearchHit[],
  sides: SearchHit[],
  regionOf: (hit: SearchHit) => string,
  textOf: (hit: SearchHit) => string,
  maxLead: number,
): SearchHit[] {
  const out = [...picked];
  for (const hit of picked) {
    const copies = picked.some((other) => regionOf(other) !== regionOf(hit) && nearCopy(textOf(hit), textOf(other)));
    if (!copies) continue;
    const own = sides.find((side) => regionOf(side) === regionOf(hit) && !out.some((o) => o.measureId === side.measureId || nearCopy(textOf(side), textOf(o))));
    if (own && out.length < maxLead) out.push(own);
  }
  return out;
}

/**
 * The items of a comparison's lead: clauses that copy each other said once, in the sentences all of them share, with
 * every side's marker; the sentences a side's clause says and the others' do not as that side's 另规定 (or, where its
 * sentences are all copied, whom it makes lead and by when); any other clause under its place.
 */
export function comparisonItems(chosen: Chosen[], ended: (c: Chosen) => boolean): OverviewItem[] {
  const items: OverviewItem[] = [];
  const said = new Set<Chosen>();
  const size = (c: Chosen) => c.measure.text.length;
  for (const c of chosen) {
    if (said.has(c)) continue;
    const group = [c, ...chosen.filter((o) => o.citation.region !== c.citation.region && !said.has(o) && nearCopy(c.measure.text, o.measure.text))];
    for (const o of group) said.add(o);
    if (group.length === 1) {
      const earlier = items.some((item) => item.label?.startsWith(placeLabel(c.citation.region)));
      items.push({
        heading: c.measure.heading,
        text: c.measure.text,
        marker: c.citation.marker,
        label: `${placeLabel(c.citation.region)}${earlier ? "另规定" : ""}：`,
        ended: ended(c),
      });
      continue;
    }
    const base = group.reduce((shortest, o) => (size(o) < size(shortest) ? o : shortest));
    const textsBeside = (o: Chosen) => group.filter((x) => x !== o).map((x) => x.measure.text);
    const besideBase = textsBeside(base);
    const shared = clauseSentences(base.measure.text).filter((s) => besideBase.every((text) => nearCopy(s, text)));
    items.push({
      heading: base.measure.heading,
      text: shared.length ? shared.join("") : base.measure.text,
      marker: base.citation.marker,
      alsoMarkers: group.filter((o) => o !== base).map((o) => o.citation.marker),
      label: `${group.map((o) => placeLabel(o.citation.region)).join("、")}相同：`,
      ended: ended(base),
    });
    for (const o of group) {
      const beside = textsBeside(o);
      const own = clauseSentences(o.measure.text).filter((s) => !beside.some((text) => nearCopy(s, text)));
      const text = own.length ? own.join("") : ownFields(o.measure.text, beside);
      // A long sentence of its own may still hold a part the others say: that part is no difference.
      if (text) items.push({ text, others: beside, marker: o.citation.marker, label: `${placeLabel(o.citation.region)}另规定：`, ended: ended(o) });
    }
  }
  return items;
}

/** Whom a plan makes lead and by when (牵头单位：市司法局, 完成时限：2023年12月底前), where the other sides say otherwise. */
const LEAD_FIELDS = /(牵头单位|完成时限)[：:]\s*(.+?)\s*(?=(?:牵头单位|责任单位|配合单位|完成时限)[：:]|\n|$)/g;
function ownFields(text: string, beside: string[]): string {
  return Array.from(text.matchAll(LEAD_FIELDS), (m) => `${m[1]}：${m[2]}`)
    .filter((field) => !beside.some((other) => other.includes(field)))
    .join("，");
}

/** 新疆维吾尔自治区 → 自治区; 哈密市 → 哈密市. */
export function placeLabel(region: string): string {
  return region.endsWith("自治区") ? "自治区" : region;
}
