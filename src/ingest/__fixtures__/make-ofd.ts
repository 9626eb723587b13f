import { makeZip } from "./make-zip.js";

const NS = 'xmlns:ofd="http://www.ofdspec.org/2016"';
const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export interface OfdOptions {
  /** Font size in millimetres (4.23 mm is 12 pt). */
  size?: number;
  /** Lines printed one TextObject per character, as many converters write them (the first `perCharacter` lines of each page). */
  perCharacter?: number;
  /** A running header, drawn on every page's template and again in its content (as some producers do). */
  header?: string;
}

/**
 * An OFD file (GB/T 33190) with the standard's structure: OFD.xml → Doc_0/Document.xml
 * → Doc_0/Pages/Page_N/Content.xml, one TextObject a line (Boundary in millimetres,
 * y down, a TextCode with "g n v" DeltaX advances), a line of cells ("a\tb") as one
 * TextObject a cell, and a page number "- N -" at the foot.
 */
export function makeOfd(pages: string[][], options: OfdOptions = {}): Buffer {
  const { size = 4.2333, perCharacter = 2, header } = options;
  let id = 10;
  const files: Record<string, string> = {
    "OFD.xml": `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ${NS} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>fixture</ofd:DocID><ofd:Creator>fixture</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`,
    "Doc_0/Document.xml": `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ${NS}><ofd:CommonData><ofd:MaxUnitID>9999</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData><ofd:Pages>${pages
      .map((_, i) => `<ofd:Page ID="${i + 1}" BaseLoc="Pages/Page_${i}/Content.xml"/>`)
      .join("")}</ofd:Pages></ofd:Document>`,
    "Doc_0/PublicRes.xml": `<?xml version="1.0" encoding="UTF-8"?><ofd:Res ${NS} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>`,
  };
  const textObject = (text: string, x: number, y: number) =>
    `<ofd:TextObject ID="${id++}" Boundary="${x.toFixed(2)} ${(y - size).toFixed(2)} ${(text.length * size + 1).toFixed(2)} ${(size * 1.4).toFixed(2)}" Font="2" Size="${size}"><ofd:TextCode X="0" Y="${size.toFixed(4)}"${text.length > 1 ? ` DeltaX="g ${text.length - 1} ${size}"` : ""}>${escapeXml(text)}</ofd:TextCode></ofd:TextObject>`;
  pages.forEach((lines, p) => {
    const objects: string[] = [];
    if (header) objects.push(textObject(header, 105 - (header.length * size) / 2, 15));
    lines.forEach((line, l) => {
      const y = 30 + l * size * 1.8;
      if (l < perCharacter) for (const [c, character] of [...line].entries()) objects.push(textObject(character, 25 + c * size, y));
      else {
        let x = 25;
        for (const cell of line.split("\t")) {
          objects.push(textObject(cell, x, y));
          x += cell.length * size + size * 3;
        }
      }
    });
    objects.push(textObject(`- ${p + 1} -`, 100, 285));
    files[`Doc_0/Pages/Page_${p}/Content.xml`] =
      `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ${NS}><ofd:Content><ofd:Layer ID="${id++}">${objects.join("")}</ofd:Layer></ofd:Content></ofd:Page>`;
  });
  return makeZip(files);
}
