import { posix } from "node:path";
import { XMLParser } from "fast-xml-parser";
import { IngestError } from "./errors.js";
import type { UploadLimits } from "./limits.js";
import { laidOutLines, type PositionedText } from "./page-lines.js";
import { type MeasuredPage, withoutRunningLines } from "./source-layout.js";
import { OFD_PACKAGE, readZipArchive } from "./zip-guard.js";

/** Points per millimetre: OFD measures in millimetres, the page-size limit is in points. */
const MM = 72 / 25.4;

/** Elements that may repeat; the parser then always gives a list. */
const LISTS = new Set(["DocBody", "Page", "Layer", "PageBlock", "TextObject", "TextCode", "CompositeObject"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  isArray: (name) => LISTS.has(name),
});

// biome-ignore lint/suspicious/noExplicitAny: parsed XML is walked by element name and checked as it is read.
type Node = any;

/**
 * The text layer of an OFD file (GB/T 33190, the 版式文件 many offices
 * publish): a zip whose OFD.xml names the document's Document.xml, which lists
 * its pages; each page's Content.xml holds TextObjects (a Boundary in
 * millimetres, y growing downwards) whose TextCodes place their characters
 * (X, Y and DeltaX advances, "g n v" for n equal advances). The characters are
 * laid out as positioned text and read like a PDF's (page-lines.ts): columns,
 * tables and running lines alike. Page templates (a red header, a page
 * number) are left out, as running lines would be. `measured` gives each
 * page's size and its lines in millimetres, every line kept for drawing the
 * page (a browser has no OFD renderer).
 */
export function readOfdText(name: string, bytes: Uint8Array, limits: UploadLimits): { pages: string[][]; characters: number; measured: MeasuredPage[] } {
  const parts = readZipArchive(name, bytes, limits.docx, OFD_PACKAGE, (entry) => entry.toLowerCase().endsWith(".xml"));
  const xml = (path: string): Node => {
    const part = parts.get(path.replace(/^\/+/, ""));
    if (!part) throw unreadable(name, `缺少 ${path}`);
    const text = part.toString("utf8");
    // OFD never declares a document type; entity declarations are how XML files expand or reach outside.
    if (/<!DOCTYPE/i.test(text)) throw unreadable(name, `${path} 含有 DOCTYPE 声明`);
    try {
      return parser.parse(text);
    } catch (error) {
      throw unreadable(name, `${path} 不是完整的 XML`, error);
    }
  };
  const root = xml("OFD.xml").OFD;
  const documentPath = text(root?.DocBody?.[0]?.DocRoot);
  if (!documentPath) throw unreadable(name, "OFD.xml 中没有 DocRoot");
  const documentFile = resolve("", documentPath);
  const document = xml(documentFile).Document;
  const pageList: Node[] = document?.Pages?.Page ?? [];
  if (pageList.length > limits.maxPages) {
    throw new IngestError("TOO_LARGE", `${name}：共 ${pageList.length} 页，超过每个文件 ${limits.maxPages} 页的上限；请拆分后分别上传`);
  }
  const defaultBox = box(document?.CommonData?.PageArea?.PhysicalBox) ?? [0, 0, 210, 297];
  const measured: MeasuredPage[] = [];
  let characters = 0;
  pageList.forEach((entry, index) => {
    // "Page" is a list inside Document.xml, so the parser gives a content file's root Page as one too.
    const page = xml(resolve(posix.dirname(documentFile), String(entry.BaseLoc ?? ""))).Page?.[0];
    const [, , width, height] = box(page?.Area?.PhysicalBox) ?? defaultBox;
    if (width * MM * height * MM > limits.maxPageArea) {
      throw new IngestError(
        "TOO_LARGE",
        `${name}：第 ${index + 1} 页为 ${Math.round(width)}×${Math.round(height)} 毫米，超过 A0（841×1189 毫米）的上限，无法读取`,
      );
    }
    const fragments: PositionedText[] = [];
    for (const layer of page?.Content?.Layer ?? []) collectText(layer, height, fragments);
    characters += fragments.reduce((sum, f) => sum + f.text.trim().length, 0);
    const lines = laidOutLines(fragments);
    // Fragments are measured up from the page's foot: its top-left corner is at (0, height).
    measured.push({ width, height, left: 0, top: height, lines, drawn: lines });
  });
  return { ...withoutRunningLines(measured), characters };
}

const unreadable = (name: string, why: string, cause?: unknown) =>
  new IngestError("UNREADABLE", `${name}：不是可以读取的 OFD 文件（${why}）；请用 OFD 阅读器另存或导出为 PDF 后再上传`, { cause });

/** A path inside the package: absolute ("/Doc_0/…") from its root, otherwise from `from`'s folder. */
function resolve(from: string, path: string): string {
  const joined = path.startsWith("/") ? path : posix.join(from, path);
  return posix.normalize(joined).replace(/^\/+/, "");
}

const numbers = (value: unknown) =>
  String(value ?? "")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);

function box(value: unknown): [number, number, number, number] | undefined {
  const [x, y, width, height] = numbers(value);
  return [x, y, width, height].every(Number.isFinite) && width > 0 && height > 0 ? [x, y, width, height] : undefined;
}

/** An element's text, whether the parser gave a string or an object with attributes. */
function text(node: Node): string {
  if (node === undefined || node === null) return "";
  if (typeof node === "object") return String(node["#text"] ?? "");
  return String(node);
}

/** DeltaX/DeltaY: numbers, with "g n v" standing for n advances of v. */
export function advances(value: unknown): number[] {
  const tokens = String(value ?? "")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i] === "g") {
      const count = Number(tokens[i + 1]);
      const step = Number(tokens[i + 2]);
      for (let n = 0; n < count && n < 100_000; n++) out.push(step);
      i += 2;
    } else out.push(Number(tokens[i]));
  }
  return out.filter(Number.isFinite);
}

/** The TextObjects of a layer or block (blocks nest), as fragments with y measured up from the page's foot. */
function collectText(container: Node, pageHeight: number, into: PositionedText[]): void {
  for (const block of container?.PageBlock ?? []) collectText(block, pageHeight, into);
  for (const object of container?.TextObject ?? []) {
    const [left, top] = numbers(object.Boundary);
    const size = Number(object.Size) || 3.5;
    // A CTM scales and moves the object's own coordinates: (a b c d e f).
    const [a, b, c, d, e, f] = object.CTM ? numbers(object.CTM) : [1, 0, 0, 1, 0, 0];
    const scale = Math.sqrt(Math.abs(a * d - b * c)) || 1;
    let x = 0;
    let y = 0;
    for (const code of object.TextCode ?? []) {
      const characters = [...text(code)];
      if (code.X !== undefined) x = Number(code.X);
      if (code.Y !== undefined) y = Number(code.Y);
      const dx = advances(code.DeltaX);
      const dy = advances(code.DeltaY);
      // Characters that move down (vertical text) or jump are placed one by one; a run along a line is one fragment.
      const runs: Array<{ text: string; x: number; y: number; width: number }> = [];
      characters.forEach((character, i) => {
        const run = runs.at(-1);
        // The advance before this character: one character's width continues the run; a jump (a table's next cell) or a step down starts another.
        const step = i > 0 ? (dx[i - 1] ?? size) : Number.POSITIVE_INFINITY;
        const own = Math.min(dx[i] ?? size, size);
        if (run && step <= size * 1.5 && !dy[i - 1]) {
          run.text += character;
          run.width = x + own - run.x;
        } else runs.push({ text: character, x, y, width: own });
        x += dx[i] ?? size;
        y += dy[i] ?? 0;
      });
      for (const run of runs) {
        const pageX = left + a * run.x + c * run.y + e;
        const pageY = top + b * run.x + d * run.y + f;
        into.push({ text: run.text, x: pageX, y: pageHeight - pageY, width: run.width * Math.abs(a || 1), height: size * scale });
      }
    }
  }
  for (const composite of container?.CompositeObject ?? []) collectText(composite, pageHeight, into);
}
