import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCorpus } from "../src/corpus/load-corpus.js";
import gazetteer from "../src/corpus/regions.json" with { type: "json" };
import type { Corpus, Measure, PolicyDocument } from "../src/types.js";

/**
 * A national corpus for the benchmark, generated from the seed: every province
 * (and two of its cities) issues its own version of the five seed documents.
 * Real provinces do not re-issue each other's text word for word: they keep
 * the structure and the ideas and change the sentences. So each clause is
 * varied at sentence level — the documents' own synonyms (the thesaurus's
 * document-side phrases) swapped, sentences reordered, sentences borrowed from
 * other clauses of the same section or from any document, figures, deadlines
 * and departments changed — and some clauses are replaced by clauses of other
 * documents. The output is in the seed's compilation format, so the real
 * parser reads it; a fixed random seed makes every run the same corpus.
 */

/** A province issuing its version, with two of its cities standing in for 克拉玛依 and 哈密. */
export interface Issue {
  province: string;
  provinceShort: string;
  cityA: string;
  cityB: string;
  copy: number;
}

const strip = (city: string) => city.replace(/(市|地区|回族自治州|白族自治州|蒙古自治州|柯尔克孜自治州|哈萨克自治州)$/, "");

/** Provinces with two cities or more, in gazetteer order, Xinjiang (the seed itself) left out. */
export function issuers(): Array<Omit<Issue, "copy">> {
  return gazetteer.provinces
    .filter((p) => p.cities.length >= 2 && p.name !== "新疆维吾尔自治区")
    .flatMap((p) => {
      const pairs: Array<Omit<Issue, "copy">> = [];
      for (let i = 0; i + 1 < p.cities.length; i += 2)
        pairs.push({ province: p.name, provinceShort: p.aliases[0], cityA: p.cities[i].name, cityB: p.cities[i + 1].name });
      return pairs;
    });
}

/** The issues needed for about `measures` measures at ~180 a copy. */
export function plan(measures: number): Issue[] {
  const all = issuers();
  const copies = Math.max(0, Math.round(measures / 180) - 1);
  return Array.from({ length: copies }, (_, i) => ({ ...all[i % all.length], copy: Math.floor(i / all.length) + 1 + i }));
}

/** mulberry32: small, fast and the same on every machine. */
export function randomOf(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Departments as the documents name them; a province's plan gives a task to one or another. */
const DEPARTMENTS = [
  "市场监管局",
  "发展改革委",
  "财政局",
  "税务局",
  "人力资源社会保障局",
  "住房城乡建设局",
  "自然资源局",
  "商务局",
  "交通运输局",
  "司法局",
  "公安局",
  "工业和信息化局",
  "生态环境局",
  "农业农村局",
  "文化和旅游局",
  "卫生健康委",
  "金融办",
  "政务服务管理局",
  "数据局",
  "应急管理局",
];
const DUE = ["", "力争", "确保", "争取"];
const DONE = ["完成", "全面落实", "落实到位", "取得明显成效", "实现全覆盖"];
const DEPARTMENT = new RegExp(DEPARTMENTS.join("|"), "g");
const FIELD_LINE = /^(牵头单位|责任单位|完成时限)[:：]/;

/** Document-side phrases of the thesaurus with the others of their entry: how documents say the same thing differently. */
function documentSynonyms(thesaurusDir: string): Map<string, string[]> {
  const synonyms = new Map<string, string[]>();
  for (const name of readdirSync(thesaurusDir).filter((n) => n.endsWith(".json"))) {
    const { entries } = JSON.parse(readFileSync(join(thesaurusDir, name), "utf8")) as { entries: Array<{ documents: string[] }> };
    for (const { documents } of entries) {
      const phrases = documents.filter((p) => p.length >= 2);
      if (phrases.length < 2) continue;
      for (const phrase of phrases) synonyms.set(phrase, [...new Set([...(synonyms.get(phrase) ?? []), ...phrases.filter((p) => p !== phrase)])]);
    }
  }
  return synonyms;
}

/** A seed clause cut into what the generator varies, the thesaurus matches found once. */
interface ClauseParts {
  /** The opening sentence: the clause's own heading when it has one; kept first. */
  sentences: Array<{ text: string; synonyms: Array<[string, string[]]> }>;
  fields: string[];
}

/** What every generated file draws on: the seed parsed once, its clauses cut into sentences. */
export interface Source {
  seed: Corpus;
  clauses: ClauseParts[];
  /** Clauses of each outline section (the same kind of measure), by the section's heading. */
  sections: Map<string, number[]>;
}

export function prepareSource(seedText: string, thesaurusDir: string): Source {
  const seed = buildCorpus([{ name: "seed.txt", text: seedText }]);
  const synonyms = documentSynonyms(thesaurusDir);
  const phrases = [...synonyms.keys()].sort((a, b) => b.length - a.length);
  const clauses = seed.measures.map((measure): ClauseParts => {
    const lines = measure.text.split("\n");
    const body = lines.filter((l) => !FIELD_LINE.test(l)).join("");
    const fields = lines.filter((l) => FIELD_LINE.test(l));
    const sentences = (body.match(/[^。]+。?/g) ?? [body]).map((text) => ({
      text,
      synonyms: phrases.filter((p) => text.includes(p)).map((p): [string, string[]] => [p, synonyms.get(p)!]),
    }));
    return { sentences, fields };
  });
  const sections = new Map<string, number[]>();
  seed.measures.forEach((measure, i) => {
    const key = `${measure.documentId}|${measure.path[0]}`;
    sections.set(key, [...(sections.get(key) ?? []), i]);
  });
  return { seed, clauses, sections };
}

const sectionOf = (measure: Measure) => `${measure.documentId}|${measure.path[0]}`;

/** Figures a province sets for itself: relief percentages, working days, amounts, months of deadlines and periods. */
function varyFigures(text: string, random: Random): string {
  return text
    .replace(/(\d+)%-(\d+)%/g, () => {
      const low = 5 * (1 + Math.floor(random() * 8));
      return `${low}%-${low + 5 * (1 + Math.floor(random() * 6))}%`;
    })
    .replace(/(?<![\d-])(\d{1,2})%/g, () => `${5 * (1 + Math.floor(random() * 12))}%`)
    .replace(/(\d+)(\s*)个工作日/g, (_, __, space: string) => `${1 + Math.floor(random() * 15)}${space}个工作日`)
    .replace(/(\d+)(\s*)万元/g, (_, n: string, space: string) => `${Math.max(1, Math.round(Number(n) * (0.5 + random() * 1.5)))}${space}万元`)
    .replace(/(20\d\d)(\s*)年(\s*)(\d{1,2})(\s*)月(底前|前|底)/g, (_, year: string, s1: string, s2: string, __, s3: string, tail: string) => {
      return `${Number(year) + Math.floor(random() * 2)}${s1}年${s2}${1 + Math.floor(random() * 12)}${s3}月${tail}`;
    });
}

function varyDepartments(text: string, random: Random): string {
  return text.replace(DEPARTMENT, (department) => (random() < 0.4 ? pick(random, DEPARTMENTS) : department));
}

/** One varied clause from seed clause `index`; `mates` are the clauses of the same section. */
function varyClause(source: Source, index: number, random: Random): string {
  const { sentences, fields } = source.clauses[index];
  const varied = sentences.map(({ text, synonyms }) => {
    let out = text;
    for (const [phrase, alternatives] of synonyms) if (random() < 0.3 && out.includes(phrase)) out = out.replace(phrase, pick(random, alternatives));
    return out;
  });
  const [first, ...rest] = varied;
  // Provinces reorder what a clause asks for, leave a part out, or add one their own plan has elsewhere.
  for (let i = rest.length - 1; i > 0; i--) {
    if (random() < 0.5) {
      const j = Math.floor(random() * (i + 1));
      [rest[i], rest[j]] = [rest[j], rest[i]];
    }
  }
  if (rest.length > 1 && random() < 0.3) rest.splice(Math.floor(random() * rest.length), 1);
  if (random() < 0.35) {
    const mates = source.sections.get(sectionOf(source.seed.measures[index]))!;
    const donor = random() < 0.7 ? pick(random, mates) : Math.floor(random() * source.clauses.length);
    const borrowed = source.clauses[donor].sentences.slice(1);
    if (donor !== index && borrowed.length) rest.push(pick(random, borrowed).text);
  }
  // Plans say who carries a measure out and by when, each its own way.
  if (random() < 0.75) rest.push(`由${pick(random, DEPARTMENTS)}牵头，${pick(random, DEPARTMENTS)}、${pick(random, DEPARTMENTS)}等部门配合。`);
  if (random() < 0.5) rest.push(`${pick(random, DUE)}${2023 + Math.floor(random() * 3)}年${1 + Math.floor(random() * 12)}月底前${pick(random, DONE)}。`);
  let body = [first, ...rest].map((s) => (/[。；]$/.test(s) ? s : `${s}。`)).join("");
  body = varyDepartments(varyFigures(body, random), random);
  const lines = fields.map((line) => varyDepartments(varyFigures(line, random), random));
  return [body, ...lines].join("\n");
}

/** Places and issuers of the seed renamed for the issuing province and its two cities. */
function renamer(issue: Issue): (text: string) => string {
  const { province, provinceShort, cityA, cityB, copy } = issue;
  const a = strip(cityA);
  const b = strip(cityB);
  const code = provinceShort.slice(0, 1);
  return (text) =>
    text
      .replace(/（五）新疆/g, `（五）${provinceShort}`)
      .replace(/新疆维吾尔自治区/g, province)
      .replace(/新疆自治区/g, province)
      .replace(/新疆生产建设兵团/g, `${provinceShort}有关单位`)
      .replace(/新疆/g, provinceShort)
      .replace(/全疆/g, "全省")
      .replace(/自治区/g, "省")
      .replace(/克拉玛依/g, a)
      .replace(/哈密/g, b)
      .replace(/新政办发〔2023〕5号/g, `${code}政办发〔2023〕${5 + copy}号`)
      .replace(/新市监机〔2023〕83号/g, `${code}市监机〔2023〕${83 + copy}号`)
      .replace(/哈政办发〔2023〕14号/g, `${b.slice(0, 1)}政办发〔2023〕${14 + copy}号`);
}

/** Print lines of a page: the compilation breaks its pages every few clauses. */
const CLAUSES_PER_PAGE = 5;

/**
 * The five documents as `issue`'s province would issue them, in the seed's
 * compilation format: headings, 文号, preamble, sections, clauses and closing,
 * "# Page" lines between. Same seed, same issue: same text.
 */
export function generateCompilation(source: Source, issue: Issue, seed = 20261204): string {
  const random = randomOf(seed ^ Math.imul(issue.copy + 1, 0x9e3779b1));
  const rename = renamer(issue);
  const { seed: corpus } = source;
  let page = 1;
  const out: string[] = [`# Page ${page}:`];
  const measureIndex = new Map(corpus.measures.map((m, i) => [m, i]));
  corpus.documents.forEach((document: PolicyDocument, position) => {
    const day = Math.min(28, Number(document.date?.slice(8, 10) ?? 1) + (issue.copy % 5));
    out.push(rename(document.heading).replace(/\d{1,2}(\s*)日）$/, `${day}$1日）`));
    if (document.docNumber) out.push(rename(document.docNumber));
    if (document.preamble) out.push(rename(document.preamble));
    const measures = corpus.measures.filter((m) => m.documentId === document.id);
    let next = 0;
    measures.forEach((measure, k) => {
      while (next < document.outline.length && document.outline[next].beforeMeasure <= k) {
        const { marker, text } = document.outline[next++];
        out.push(marker + rename(varyDepartments(varyFigures(text, random), random)));
      }
      // One clause in eight comes from another document of the seed: plans borrow from each other.
      const from = random() < 0.125 ? Math.floor(random() * corpus.measures.length) : measureIndex.get(measure)!;
      const heading = corpus.measures[from].heading;
      let text = rename(varyClause(source, from, random));
      // A borrowed clause keeps this position's marker; a heading only where the position had one.
      if (from !== measureIndex.get(measure) && heading && !measure.heading) text = text.replace(`${heading}。`, "");
      out.push(measure.marker + text);
      if ((k + 1) % CLAUSES_PER_PAGE === 0) out.push(`# Page ${++page}:`);
    });
    for (; next < document.outline.length; next++) out.push(document.outline[next].marker + rename(document.outline[next].text));
    if (document.closing) out.push(rename(document.closing));
    if (position < corpus.documents.length - 1) out.push(`# Page ${++page}:`);
  });
  return `${out.join("\n")}\n`;
}

/** Questions that name a place, with the region the first citation must come from. */
export function regionQuestions(issues: Issue[], limit = 40): Array<{ question: string; region: string; phrase: string }> {
  const out: Array<{ question: string; region: string; phrase: string }> = [];
  for (const issue of issues.slice(0, limit / 4)) {
    out.push({ question: `在${strip(issue.cityA)}，二手房水电气暖能联合过户吗？`, region: issue.cityA, phrase: "二手房水电气暖联合过户" });
    out.push({ question: `${issue.cityB}居民用非电网直供电的电价是多少？`, region: issue.cityB, phrase: "非电网直供电" });
    out.push({ question: `在${issue.provinceShort}，特种设备定期检测费用有优惠吗？`, region: issue.province, phrase: "特种设备检验研究院" });
    out.push({ question: `${issue.cityA}养老保险关系转移要多少个工作日？`, region: issue.cityA, phrase: "养老保险" });
  }
  out.push(
    { question: "在克拉玛依，二手房水电气暖能联合过户吗？", region: "克拉玛依市", phrase: "二手房水电气暖联合过户" },
    { question: "哈密市居民用非电网直供电的电价是多少？", region: "哈密市", phrase: "非电网直供电" },
    { question: "新疆特种设备定期检测费用有优惠吗？", region: "新疆维吾尔自治区", phrase: "特种设备检验研究院" },
  );
  return out;
}

/** Distinct clause texts over measures: 1 when no two measures read the same word for word. */
export function distinctTextRatio(texts: Iterable<string>): number {
  let total = 0;
  const seen = new Set<string>();
  for (const text of texts) {
    total++;
    seen.add(text);
  }
  return total ? seen.size / total : 1;
}
