// Builds src/corpus/written-forms.json, the table that turns radical and compatibility code points back into the
// ideographs a document was written with:
//   npx tsx scripts/build-written-forms.mts
//
// Why: a PDF's font often draws 人 and ⼈ (KANGXI RADICAL MAN) with one glyph, and its ToUnicode map may name
// the radical. pdf.js then reads 示例市人民政府 as ⽰例市⼈⺠政府, and nothing downstream (titles, markers, dates,
// search) matches. The table covers:
//   - Kangxi Radicals (U+2F00–U+2FD5), CJK Compatibility Ideographs (U+F900–U+FAFF) and their supplement
//     (U+2F800–U+2FA1F): Unicode's own NFKC mapping, read from Node (`String.prototype.normalize`);
//   - CJK Radicals Supplement (U+2E80–U+2EF3): NFKC maps only two of them, so the rest come from HAND below,
//     the unified ideograph each radical is a form of (as Unicode's EquivalentUnifiedIdeograph.txt pairs them;
//     where Noto Sans CJK SC draws the radical and an ideograph with one glyph, that ideograph).
// Full NFKC is not applied to text: it would also turn full-width punctuation （：，） into ASCII.
import { writeFileSync } from "node:fs";

const HAND: Record<string, string> = {
  "⺀": "冫",
  "⺁": "厂",
  "⺂": "乛",
  "⺃": "乚",
  "⺄": "乙",
  "⺅": "亻",
  "⺆": "冂",
  "⺇": "𠘨",
  "⺈": "𠂊",
  "⺉": "刂",
  "⺊": "卜",
  "⺋": "㔾",
  "⺌": "小",
  "⺍": "𭕄",
  "⺎": "兀",
  "⺏": "尣",
  "⺐": "尢",
  "⺑": "𡯂",
  "⺒": "巳",
  "⺓": "幺",
  "⺔": "彑",
  "⺕": "彐",
  "⺖": "忄",
  "⺗": "㣺",
  "⺘": "扌",
  "⺙": "攵",
  "⺛": "旡",
  "⺜": "日",
  "⺝": "月",
  "⺞": "歺",
  "⺠": "民",
  "⺡": "氵",
  "⺢": "氺",
  "⺣": "灬",
  "⺤": "爫",
  "⺥": "爫",
  "⺦": "丬",
  "⺧": "牛",
  "⺨": "犭",
  "⺩": "王",
  "⺪": "𤴔",
  "⺫": "罒",
  "⺬": "示",
  "⺭": "礻",
  "⺮": "𥫗",
  "⺯": "糹",
  "⺰": "纟",
  "⺱": "罓",
  "⺲": "罒",
  "⺳": "㓁",
  "⺴": "网",
  "⺵": "网",
  "⺶": "羊",
  "⺷": "羊",
  "⺸": "羊",
  "⺹": "耂",
  "⺺": "肀",
  "⺻": "聿",
  "⺼": "肉",
  "⺽": "𦥑",
  "⺾": "艹",
  "⺿": "艹",
  "⻀": "艹",
  "⻁": "虎",
  "⻂": "衤",
  "⻃": "覀",
  "⻄": "西",
  "⻅": "见",
  "⻆": "角",
  "⻇": "𧢲",
  "⻈": "讠",
  "⻉": "贝",
  "⻊": "𧾷",
  "⻋": "车",
  "⻌": "辶",
  "⻍": "辶",
  "⻎": "辶",
  "⻏": "阝",
  "⻐": "钅",
  "⻑": "長",
  "⻒": "镸",
  "⻓": "长",
  "⻔": "门",
  "⻕": "𨸏",
  "⻖": "阝",
  "⻗": "雨",
  "⻘": "青",
  "⻙": "韦",
  "⻚": "页",
  "⻛": "风",
  "⻜": "飞",
  "⻝": "食",
  "⻞": "𩙿",
  "⻟": "飠",
  "⻠": "饣",
  "⻡": "𩠐",
  "⻢": "马",
  "⻣": "骨",
  "⻤": "鬼",
  "⻥": "鱼",
  "⻦": "鸟",
  "⻧": "卤",
  "⻨": "麦",
  "⻩": "黄",
  "⻪": "黾",
  "⻫": "斉",
  "⻬": "齐",
  "⻭": "歯",
  "⻮": "齿",
  "⻯": "竜",
  "⻰": "龙",
  "⻱": "龜",
  "⻲": "亀",
};

/**
 * Where NFKC's ideograph is not the one Chinese text is written with: Noto Sans CJK SC draws ⼾ (KANGXI RADICAL
 * DOOR) with the glyph of 户, so a PDF that names the radical meant 户; NFKC gives the traditional 戶. Found by
 * comparing each Kangxi radical's glyph in Noto Sans CJK SC with the glyphs of the unified ideographs (fontkit);
 * this is the only one that differs.
 */
const WRITTEN_AS: Record<string, string> = { "⼾": "户" };

const RANGES: Array<[number, number]> = [
  [0x2e80, 0x2ef3],
  [0x2f00, 0x2fd5],
  [0xf900, 0xfaff],
  [0x2f800, 0x2fa1f],
];

const table: Record<string, string> = {};
const unmapped: string[] = [];
for (const [from, to] of RANGES) {
  for (let code = from; code <= to; code++) {
    const char = String.fromCodePoint(code);
    if (!/\p{Assigned}/u.test(char)) continue;
    const nfkc = char.normalize("NFKC");
    const target = WRITTEN_AS[char] ?? (nfkc !== char ? nfkc : HAND[char]);
    // A compatibility ideograph without a decomposition (U+FA0E 﨎 …) is a unified ideograph itself.
    if (target) table[char] = target;
    else if (code < 0xf900) unmapped.push(`U+${code.toString(16).toUpperCase()} ${char}`);
  }
}
if (unmapped.length) throw new Error(`no written form for ${unmapped.join(", ")}: add them to HAND`);
const path = new URL("../src/corpus/written-forms.json", import.meta.url).pathname;
writeFileSync(path, `${JSON.stringify(table, null, 0).replace(/,"/g, ',\n"')}\n`);
console.log(`${Object.keys(table).length} forms → ${path}`);
