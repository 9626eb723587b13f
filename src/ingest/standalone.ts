import { type ParsedFile, parseStandaloneDocument } from "../corpus/parse-compilation.js";
import { parsePlain } from "../corpus/parse-plain.js";
import { readSourceLines } from "../corpus/source-lines.js";
import { findStandaloneHeading } from "./standalone-heading.js";

/** Fewer numbered clauses than this and a text is not read as a policy. */
const MIN_MEASURES = 2;

/**
 * A single document: parsed with its own title, 文号 and date when it looks
 * like a policy (a title such as …的通知 and numbered clauses); otherwise
 * indexed as plain paragraphs, with a warning naming the uploaded file `name`.
 */
export function standaloneOrPlain(text: string, sourceFile: string, name = sourceFile): { parsed: ParsedFile; warning?: string } {
  const heading = findStandaloneHeading(readSourceLines(text).lines);
  if (heading) {
    const parsed = parseStandaloneDocument(text, sourceFile, heading);
    if (parsed.measures.length >= MIN_MEASURES) return { parsed };
  }
  const why = heading ? `找到标题《${heading.title}》，但编号条款少于 ${MIN_MEASURES} 条` : "开头附近没有“……的通知”“……办法”这样的标题";
  return {
    parsed: parsePlain(text, sourceFile),
    warning: `${name}：看起来不是政策文件（${why}），已按段落收录，引用时以页码标示；如是政策文件，请核对原件的标题和条款编号`,
  };
}
