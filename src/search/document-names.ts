import { maskRegions, placeMentions, regionPath } from "../corpus/regions.js";
import type { PolicyDocument } from "../types.js";

const MIN_NAME = 3;
const MAX_NAME = 8;
/** Words every plan and notice has in its title; naming them, or a piece of them, names no document. */
const GENERIC_WORDS = [
  "关于印发",
  "的通知",
  "若干措施",
  "工作要点",
  "工作方案",
  "实施方案",
  "实施意见",
  "人民政府办公室",
  "人民政府办公厅",
  "新疆维吾尔自治区",
];
// Place names are masked out of the sources before grams are taken, so a gram never names a place.
const isGeneric = (gram: string) => GENERIC_WORDS.some((word) => word.includes(gram)) || /^[\d年月日]+/.test(gram);

export interface DocumentReference {
  documents: PolicyDocument[];
  /** The words of the question that named them. */
  names: string[];
}

/** Words that make a phrase a reference to a document as such: 政法委的50条措施, 放管服要点, 83号文. */
const DOCUMENT_NOUN = /措施|方案|要点|文件|通知|办法|意见|规定|条例|细则|号文|这份|那份|那个文|里面|中的|里的/;

/** The kinds a document's title ends in, by which callers name it after its place or a short name: 哈密方案, 市监局的措施. */
const KINDS = /措施|方案|要点|意见|办法|细则|条例|规定/g;
/** What may stand between a place or short name and the kind: 哈密的方案, 自治区那个方案. */
const LINK = /的|那个|这个|那份|这份/g;
/** Places joined into one reference: 自治区和哈密的方案 names both plans. */
const JOIN = /^(和|与|、|及|跟|同)$/;
/** A province named by its level (自治区的方案): the province of a city named beside it, or any province's. */
const PROVINCE_WORD = /自治区|全区|全疆|省级|全省|省里|区里/g;
const ANY_PROVINCE = "";
/** A level word that, alone, names the province's own government: not 全区 or 区里, which may be a district. */
const LEVEL_ALONE = /自治区|全疆|省级|全省|省里/;
/** How far before the kind a reference's short name may begin. */
const SHORT_NAME_SPAN = 8;
const PAUSE = /[，,。？?！!；;：:\s、和与及跟同]/;

/**
 * Whether `short` abbreviates `name` as Chinese abbreviations are made, keeping some of its characters in order
 * (降成本 of 降低…交易成本, 市监局 of 市场监督管理局). Two characters must stand together in the name; three or
 * more may be spread.
 */
export function abbreviates(short: string, name: string): boolean {
  if (short.length < 2) return false;
  if (name.includes(short)) return true;
  if (short.length < 3) return false;
  let at = 0;
  for (const char of short) {
    at = name.indexOf(char, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

/** What follows a unit's name when the question asks what it leads: 牵头的, 局负责的. */
const LEADS_NEXT = /^[^，。？?、]{0,4}(牵头|负责)/;

/** The names a document can be called by: pieces of its title and issuer, place names masked out. */
export function namesOf(document: PolicyDocument): Set<string> {
  const names = new Set<string>();
  const source = maskRegions(`${document.shortTitle}|${document.issuer}`);
  for (let length = MIN_NAME; length <= MAX_NAME; length++) {
    for (let i = 0; i + length <= source.length; i++) {
      const gram = source.slice(i, i + length);
      if (!/[|“”《》、，（）]/.test(gram) && !isGeneric(gram)) names.add(gram);
    }
  }
  return names;
}

/** The documents that joined and left a name since the last full build. */
interface NameChange {
  readonly joined: ReadonlySet<PolicyDocument>;
  readonly left: ReadonlySet<PolicyDocument>;
}

/** The places a question names, where they stand, 自治区 and 全省 among them as the province of its cities. */
function placesIn(question: string): Array<{ place: string; start: number; end: number }> {
  const named = placeMentions(question);
  const province = named.map((m) => regionPath(m.place).at(-1)!).find(Boolean) ?? ANY_PROVINCE;
  const levels = Array.from(question.matchAll(PROVINCE_WORD), (m) => ({ place: province, start: m.index, end: m.index + m[0].length }));
  // A spelling that holds a level word (新疆维吾尔自治区) is the place it spells, not a level.
  return [...named, ...levels.filter((l) => !named.some((m) => m.start < l.end && l.start < m.end))].sort((a, b) => a.start - b.start);
}

/**
 * Recognises a document named in a question by what it is rather than by its
 * 文号: part of its title or issuer that no other document shares
 * ("政法委的50条措施", "放管服要点"), or that only its re-issues share
 * ("降低…制度性交易成本工作方案", issued by the province and by a city).
 */
export class DocumentNames {
  private positions?: Map<PolicyDocument, number>;
  private regions?: Map<string, PolicyDocument[]>;
  /** Each document's title and issuer, places masked out, and the documents holding each character of them. */
  private titles?: { text: Map<PolicyDocument, string>; byChar: Map<string, PolicyDocument[]> };

  /**
   * @param built each name's documents at the last full build, in its order
   * @param changes the names publishes changed since: a publish's work is its own documents' names, not every
   *   document's (tens of thousands at national scale)
   */
  private constructor(
    private readonly documents: readonly PolicyDocument[],
    private readonly built: ReadonlyMap<string, ReadonlySet<PolicyDocument>>,
    private readonly changes: ReadonlyMap<string, NameChange>,
  ) {}

  static of(documents: readonly PolicyDocument[]): DocumentNames {
    const built = new Map<string, Set<PolicyDocument>>();
    for (const document of documents)
      for (const name of namesOf(document)) {
        const owners = built.get(name);
        if (owners) owners.add(document);
        else built.set(name, new Set([document]));
      }
    return new DocumentNames(documents, built, new Map());
  }

  /**
   * The names of `documents`, the corpus after a publish: those of `removed` (gone, or replaced by another
   * object) are taken out and those of `added` put in. This one stays as it was for answers under way.
   */
  changed(documents: readonly PolicyDocument[], removed: readonly PolicyDocument[], added: readonly PolicyDocument[]): DocumentNames {
    const touched = new Map<string, { joined: Set<PolicyDocument>; left: Set<PolicyDocument> }>();
    const change = (name: string) => {
      let copy = touched.get(name);
      if (!copy) {
        const before = this.changes.get(name);
        copy = { joined: new Set(before?.joined), left: new Set(before?.left) };
        touched.set(name, copy);
      }
      return copy;
    };
    for (const document of removed)
      for (const name of namesOf(document)) {
        const { joined, left } = change(name);
        if (!joined.delete(document)) left.add(document);
      }
    for (const document of added)
      for (const name of namesOf(document)) {
        const { joined, left } = change(name);
        if (!left.delete(document)) joined.add(document);
      }
    const changes = new Map(this.changes);
    for (const [name, change] of touched) {
      if (change.joined.size || change.left.size) changes.set(name, change);
      else changes.delete(name);
    }
    // Carrying more changes than there are names costs what building them again does.
    if (changes.size > this.built.size) return DocumentNames.of(documents);
    return new DocumentNames(documents, this.built, changes);
  }

  /** How many documents a name singles out: 0 when it names none, or so many that it names a kind of document. */
  private countNamed(name: string): number {
    const change = this.changes.get(name);
    const count = (this.built.get(name)?.size ?? 0) + (change ? change.joined.size - change.left.size : 0);
    // A name must single out fewer than half the documents, or it names a kind, not a document.
    return count <= Math.max(1, Math.floor(this.documents.length / 2)) ? count : 0;
  }

  /** The documents a name singles out, in the corpus's order; none when it names none or a kind of document. */
  named(name: string): PolicyDocument[] {
    if (!this.countNamed(name)) return [];
    const built = [...(this.built.get(name) ?? [])];
    const change = this.changes.get(name);
    const owners = change ? built.filter((d) => !change.left.has(d)).concat(...change.joined) : built;
    // In this corpus's order, as a build of it would have them: votes for equally named documents keep that order.
    this.positions ??= new Map(this.documents.map((d, i) => [d, i]));
    const positions = this.positions;
    return owners.sort((a, b) => positions.get(a)! - positions.get(b)!);
  }

  /**
   * The documents a question names as documents, most specifically named first;
   * none when it names none. A title's words used as the topic ("房屋租金" in
   * 能免收几个月房屋租金) do not name the document: only an issuer
   * ("政法委的…") or a title phrase followed by what it is ("…50条措施",
   * "放管服要点", "83号文里") does.
   */
  find(question: string): DocumentReference {
    const matched: string[] = [];
    const text = maskRegions(question);
    for (let length = MAX_NAME; length >= MIN_NAME; length--) {
      for (let i = 0; i + length <= text.length; i++) {
        const gram = text.slice(i, i + length);
        if (!this.countNamed(gram) || matched.some((m) => m.includes(gram))) continue;
        const after = text.slice(i + length, i + length + 6);
        // A unit said to lead tasks (市场监管局牵头的) is that unit, whichever document it also issued.
        const asUnit = LEADS_NEXT.test(after);
        const asDocument = DOCUMENT_NOUN.test(gram) || DOCUMENT_NOUN.test(after) || (!asUnit && this.documents.some((d) => d.issuer.includes(gram)));
        if (asDocument) matched.push(gram);
      }
    }
    const references = [...matched.map((name) => ({ name, documents: this.named(name) })), ...this.byKind(question)];
    const votes = new Map<PolicyDocument, number>();
    for (const { name, documents: owners } of references) {
      for (const document of owners) votes.set(document, (votes.get(document) ?? 0) + name.length / owners.length);
    }
    const documents = [...votes].sort((a, b) => b[1] - a[1]).map(([document]) => document);
    return { documents, names: references.map((r) => r.name) };
  }

  /**
   * Documents named by place and kind (哈密方案, 自治区和哈密的方案, 克拉玛依那个要点) or by a short name and kind
   * (降成本方案, 自治区市监局的措施). Words before the kind that neither name a place nor abbreviate a title
   * (有什么减税措施) name no document. The name is the words after the place: the place still says where.
   */
  private byKind(question: string): Array<{ name: string; documents: PolicyDocument[] }> {
    const references: Array<{ name: string; documents: PolicyDocument[] }> = [];
    const mentions = placesIn(question);
    for (const match of question.matchAll(KINDS)) {
      const kind = match[0];
      const at = match.index;
      const before = question.slice(Math.max(0, at - SHORT_NAME_SPAN), at);
      let from = at - before.length;
      for (let i = before.length - 1; i >= 0; i--) {
        if (PAUSE.test(before[i]) && !mentions.some((m) => m.start <= from + i && from + i < m.end)) {
          from += i + 1;
          break;
        }
      }
      // The last place inside the phrase, and any joined to it just before (自治区和哈密的方案).
      const place = mentions.filter((m) => m.start >= from && m.end <= at).at(-1);
      const places: string[] = [];
      if (place) {
        places.push(place.place);
        for (let start = place.start, k = mentions.indexOf(place) - 1; k >= 0; k--) {
          if (!JOIN.test(question.slice(mentions[k].end, start))) break;
          places.push(mentions[k].place);
          start = mentions[k].start;
        }
      }
      const { text } = this.titleIndex();
      const ofKind = (documents: PolicyDocument[]) => documents.filter((d) => d.shortTitle.includes(kind));
      // After a place, all the words before the kind must name the document (哈密的方案; not 哈密有什么减税措施);
      // without one, the longest run of them ending at the kind that abbreviates a title (我想问下降成本方案 → 降成本).
      let start = -1;
      let documents: PolicyDocument[] = [];
      for (let i = place ? place.end : from; i <= at; i++) {
        const words = question.slice(i, at).replace(LINK, "");
        let described: PolicyDocument[] = [];
        if (place) {
          const here = ofKind(places.flatMap((p) => this.inRegion(p)));
          described = words ? here.filter((d) => abbreviates(words, text.get(d)!)) : here;
        } else if (words.length >= 3 && !isGeneric(words)) {
          // Without a place, two characters (工作要点 of 数据治理工作要点) are too few to say which document.
          described = ofKind(this.abbreviated(words));
        }
        if (described.length) [start, documents] = [i, described];
        if (described.length || place) break;
      }
      if (start < 0) continue;
      const name = question.slice(start, at + kind.length);
      if (!documents.length || documents.length > Math.max(1, Math.floor(this.documents.length / 2))) continue;
      references.push({ name, documents });
    }
    return references;
  }

  /**
   * The documents to prefer for a question naming the province by its level alone (自治区对银行收费有什么要求): it
   * asks what the province itself lays down, not its cities' plans, which apply only in those cities. None when the
   * question names a place (哈密配合自治区…, where the level word is that place's province) or no level. These name no
   * document, as `find` does: they only weigh the search.
   */
  provinceOwn(question: string): PolicyDocument[] {
    return LEVEL_ALONE.test(question) && !placeMentions(question).length ? this.inRegion(ANY_PROVINCE) : [];
  }

  /** Builds the lookups a question naming a kind of document reads, before the first such question. */
  prepare(): void {
    this.titleIndex();
    this.inRegion("");
  }

  /** The documents whose title or issuer `words` abbreviates, found through the rarest of its characters. */
  private abbreviated(words: string): PolicyDocument[] {
    const { text, byChar } = this.titleIndex();
    let fewest: PolicyDocument[] | undefined;
    for (const char of new Set(words)) {
      const holding = byChar.get(char) ?? [];
      if (!fewest || holding.length < fewest.length) fewest = holding;
    }
    return (fewest ?? []).filter((d) => abbreviates(words, text.get(d)!));
  }

  /** Made on the first question naming a kind of document, not per question: at national scale a scan of every title is milliseconds. */
  private titleIndex(): NonNullable<DocumentNames["titles"]> {
    if (!this.titles) {
      const text = new Map<PolicyDocument, string>();
      const byChar = new Map<string, PolicyDocument[]>();
      for (const document of this.documents) {
        const title = maskRegions(`${document.shortTitle}|${document.issuer}`, "");
        text.set(document, title);
        for (const char of new Set(title)) {
          const holding = byChar.get(char);
          if (holding) holding.push(document);
          else byChar.set(char, [document]);
        }
      }
      this.titles = { text, byChar };
    }
    return this.titles;
  }

  private inRegion(region: string): PolicyDocument[] {
    if (!this.regions) {
      this.regions = new Map();
      for (const document of this.documents) {
        // A province's own documents are also those a level word (自治区的方案) names when no city says which province.
        for (const key of document.regionPath.length === 1 ? [document.region, ANY_PROVINCE] : [document.region]) {
          const same = this.regions.get(key);
          if (same) same.push(document);
          else this.regions.set(key, [document]);
        }
      }
    }
    return this.regions.get(region) ?? [];
  }
}
