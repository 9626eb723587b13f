import { vocabulary } from "./vocabulary.js";

/** Something that reaches a person or a place rather than states a measure: each must be in a cited clause. */
export interface Identifier {
  kind: "网址" | "电子邮箱" | "域名" | "电话号码" | "号码" | "账号或编号" | "英文词";
  /** As compared: flattened, and for numbers their digits only. */
  value: string;
}

const HAN_TLD = vocabulary.hanDomainSuffixes.join("|");
const LATIN_WORDS = new Set(vocabulary.latin.words);
/** What may follow a digit string for it to be a figure (500000元, 2000-3000元) rather than a number to call or pay. */
const FIGURE_AHEAD = /^(?:[万亿千百十]|%|元|年|月|日|天|个|工作日|小时|分钟|倍|项|条|次|家|户|人|名|位|公里|吨|千瓦|平方|亩|岁|号|期|批|折|成|美元)/;

const KINDS: Array<{ kind: Identifier["kind"]; pattern: RegExp }> = [
  { kind: "网址", pattern: /(?:https?|ftp):\/\/[a-z0-9._~:/?#@!$&'()*+,;=%-]+|www\.[a-z0-9._~:/?#@!$&'()*+,;=%-]+/g },
  { kind: "电子邮箱", pattern: new RegExp(`[a-z0-9._%+-]+@[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:[a-z]{2,}|${HAN_TLD})`, "g") },
  // A domain whose name or suffix is in Han characters (减免.中国); the name runs back to the nearest non-letter.
  {
    kind: "域名",
    pattern: new RegExp(`[\\p{Script=Han}a-z0-9-]+(?:\\.[\\p{Script=Han}a-z0-9-]+)*\\.(?:${HAN_TLD})|\\p{Script=Han}+\\.[a-z]{2,}(?![a-z0-9])`, "gu"),
  },
  {
    // Shaped as a phone number (138-1234-5678, 138.1234.5678, (0994)2345678, +86 138…): one whatever follows, 号 and 位 included.
    kind: "电话号码",
    pattern: /(?<![\d.])(?:\+?86[-–—\s]?)?(?:\(\d{3,4}\)|\d{3,4})[-–—._/\s]?\d{3,4}[-–—._/\s]?\d{4}(?![\d])/g,
  },
  {
    kind: "号码",
    // Digits in runs of five or more, however spaced or hyphenated (138-1234-5678, 0991 2345678), unless a unit follows.
    pattern: /(?<![\d.])\d(?:-?\d){4,}(?![\d])/g,
  },
  { kind: "英文词", pattern: /[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?/g },
];

const digitsOnly = (text: string) => text.replace(/\D/g, "");
const PHONE = /^(?:86)?1[3-9]\d{9}$|^0\d{9,11}$|^[48]00\d{7}$|^1\d{4}$/;

/** Finds the identifiers in flattened text, and returns the text with them blanked out. */
export function readIdentifiers(flat: string): { identifiers: Identifier[]; rest: string } {
  const identifiers: Identifier[] = [];
  let rest = flat;
  for (const { kind, pattern } of KINDS) {
    rest = rest.replace(pattern, (found: string, at: number, all: string) => {
      const bare = found.replace(/[.,;:!?'()-]+$/, "");
      if (kind === "电话号码") {
        const digits = digitsOnly(bare);
        if (!PHONE.test(digits)) return found;
        identifiers.push({ kind, value: digits });
        return "□".repeat(found.length);
      }
      if (kind === "号码") {
        if (FIGURE_AHEAD.test(all.slice(at + found.length)) || /\.\d/.test(found)) return found;
        const digits = digitsOnly(bare);
        identifiers.push({ kind: PHONE.test(digits) ? "电话号码" : "号码", value: digits });
        return "□".repeat(found.length);
      }
      if (kind === "英文词") {
        if (!/[a-z]/.test(found)) return found;
        if (LATIN_WORDS.has(bare)) return "□".repeat(found.length);
        const named = /\.[a-z]{2,}$/.test(bare) ? "域名" : /\d/.test(bare) ? "账号或编号" : "英文词";
        identifiers.push({ kind: named, value: bare });
        return "□".repeat(found.length);
      }
      identifiers.push({ kind, value: bare });
      return "□".repeat(found.length);
    });
  }
  return { identifiers, rest };
}

/** True when the source (flattened) contains the identifier, standing alone there (jianmian is not in jianmian2023). */
export function containsIdentifier(source: string, sourceIdentifiers: Identifier[], identifier: Identifier): boolean {
  if (identifier.kind === "电话号码" || identifier.kind === "号码") {
    return sourceIdentifiers.some((other) => (other.kind === "电话号码" || other.kind === "号码") && other.value.includes(identifier.value));
  }
  if (identifier.kind === "域名" && /\p{Script=Han}/u.test(identifier.value)) {
    // The name of a Han domain runs back over the words before it (登录减免.中国): it passes when it ends with a clause's.
    return sourceIdentifiers.some(
      (other) =>
        other.kind === "域名" &&
        identifier.value.endsWith(other.value) &&
        !/[a-z0-9-]/.test(identifier.value[identifier.value.length - other.value.length - 1] ?? ""),
    );
  }
  let from = source.indexOf(identifier.value);
  while (from >= 0) {
    const before = source[from - 1] ?? "";
    const after = source[from + identifier.value.length] ?? "";
    if (!/[a-z0-9@_-]/.test(before) && !/[a-z0-9@_]/.test(after)) return true;
    from = source.indexOf(identifier.value, from + 1);
  }
  return false;
}
