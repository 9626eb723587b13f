import { Document, Packer, PageBreak, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";

/** A Word file with one paragraph per line and a page break between pages; a `table` is added after the last line. */
export function makeDocx(pages: string[][], table?: string[][]): Promise<Buffer> {
  const children: Array<Paragraph | Table> = [];
  pages.forEach((lines, i) => {
    if (i > 0) children.push(new Paragraph({ children: [new PageBreak()] }));
    for (const line of lines) children.push(new Paragraph({ children: [new TextRun(line)] }));
  });
  if (table) {
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: table.map((cells) => new TableRow({ children: cells.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) })),
      }),
    );
  }
  return Packer.toBuffer(new Document({ sections: [{ children }] }));
}
