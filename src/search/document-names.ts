import { maskRegions } from "../corpus/regions.js";
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

/**
 * Recognises a document named in a question by what it is rather than by its
 * 文号: part of its title or issuer that no other document shares
 * ("政法委的50条措施", "放管服要点"), or that only its re-issues share
 * ("降低…制度性交易成本工作方案", issued by the province and by a city).
 */
/** Words that make a phrase a reference to a document as such: 政法委的50条措施, 放管服要点, 83号文. */
const DOCUMENT_NOUN = /措施|方案|要点|文件|通知|办法|意见|规定|条例|细则|号文|这份|那份|那个文|里面|中的|里的/;

/** What follows a unit's name when the question asks what it leads: 牵头的, 局负责的. */
const LEADS_NEXT = /^[^，。？?、]{0,4}(牵头|负责)/;

export class DocumentNames {
  private readonly names = new Map<string, Set<PolicyDocument>>();
  private readonly issuers: string[];

  constructor(documents: PolicyDocument[]) {
    this.issuers = documents.map((d) => d.issuer);
    const counts = new Map<string, Set<PolicyDocument>>();
    for (const document of documents) {
      const source = maskRegions(`${document.shortTitle}|${document.issuer}`);
      for (let length = MIN_NAME; length <= MAX_NAME; length++) {
        for (let i = 0; i + length <= source.length; i++) {
          const gram = source.slice(i, i + length);
          if (/[|“”《》、，（）]/.test(gram) || isGeneric(gram)) continue;
          const owners = counts.get(gram) ?? new Set();
          owners.add(document);
          counts.set(gram, owners);
        }
      }
    }
    // A name must single out fewer than half the documents, or it names a kind, not a document.
    for (const [gram, owners] of counts) if (owners.size <= Math.max(1, Math.floor(documents.length / 2))) this.names.set(gram, owners);
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
        if (!this.names.has(gram) || matched.some((m) => m.includes(gram))) continue;
        const after = text.slice(i + length, i + length + 6);
        // A unit said to lead tasks (市场监管局牵头的) is that unit, whichever document it also issued.
        const asUnit = LEADS_NEXT.test(after);
        const asDocument = DOCUMENT_NOUN.test(gram) || DOCUMENT_NOUN.test(after) || (!asUnit && this.issuers.some((issuer) => issuer.includes(gram)));
        if (asDocument) matched.push(gram);
      }
    }
    const votes = new Map<PolicyDocument, number>();
    for (const gram of matched)
      for (const document of this.names.get(gram)!) votes.set(document, (votes.get(document) ?? 0) + gram.length / this.names.get(gram)!.size);
    const documents = [...votes].sort((a, b) => b[1] - a[1]).map(([document]) => document);
    return { documents, names: matched };
  }
}
