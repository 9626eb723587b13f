import { XMLParser } from "fast-xml-parser";

/**
 * Values stay strings: a MsgId is a 64-bit number that a JavaScript number
 * would round, so two messages could share one id.
 */
const parser = new XMLParser({ parseTagValue: false, ignoreDeclaration: true, ignoreAttributes: true, trimValues: true });

export class XmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "XmlError";
  }
}

/**
 * The flat `<xml><Name>value</Name>…</xml>` the platform sends, as a record of
 * its text fields (nested elements are dropped). A document type is refused
 * outright: the platform never sends one, and entity declarations are how XML
 * bombs are built.
 */
export function parseCallbackXml(xml: string): Record<string, string> {
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) throw new XmlError("a document type declaration is not accepted");
  let parsed: unknown;
  try {
    parsed = parser.parse(xml, true);
  } catch (error) {
    throw new XmlError(`not XML: ${(error as Error).message}`);
  }
  const root = (parsed as { xml?: unknown }).xml;
  if (!root || typeof root !== "object") throw new XmlError("no <xml> root element");
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(root)) if (typeof value === "string") fields[name] = value;
  return fields;
}

/** Text in CDATA; a "]]>" inside is split across two sections so it cannot close the first early. */
const cdata = (text: string) => `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

/** `<xml>` with one element a field: strings in CDATA, numbers bare (as the platform writes CreateTime). */
export function buildCallbackXml(fields: Record<string, string | number>): string {
  const elements = Object.entries(fields).map(([name, value]) => `<${name}>${typeof value === "number" ? value : cdata(value)}</${name}>`);
  return `<xml>${elements.join("")}</xml>`;
}
