import mammoth from "mammoth";
import { IngestError } from "./errors.js";
import { readHtmlText } from "./html.js";

/**
 * A Word file through mammoth: its paragraphs and tables as HTML, then the
 * same line reading as a web page. Word's explicit page breaks become page
 * markers (an <hr>); a file without them is one page, since pages in Word
 * depend on the printer.
 */
export async function readDocxText(name: string, bytes: Uint8Array): Promise<{ pages: string[][]; warnings: string[] }> {
  let html: string;
  try {
    const result = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { styleMap: ["br[type='page'] => hr"] });
    html = result.value;
  } catch (error) {
    throw new IngestError("UNREADABLE", `${name}：不是可以读取的 Word（.docx）文件（${(error as Error).message}）`, { cause: error });
  }
  const { pages } = readHtmlText(`<body>${html}</body>`, { pageBreaks: true });
  const warnings = pages.length === 1 ? [`${name}：Word 文件中没有分页符，所有条款都按第 1 页引用`] : [];
  return { pages, warnings };
}
