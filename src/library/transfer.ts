import { parse } from "csv-parse/sync";
import type { LibraryEntry, LibraryEntryInput } from "./entry.js";

/** The columns of a library file, in order; measure ids are separated by "|" in CSV. */
export const COLUMNS = ["question", "measureIds", "answer", "refusal", "note"] as const;

export interface ParsedLine {
  line: number;
  input?: LibraryEntryInput;
  error?: string;
}

/** RFC 4180 records with the line each ends on: quoted fields may hold commas, quotes ("") and line breaks; a byte-order mark is dropped. */
function parseCsv(text: string): Array<{ cells: string[]; line: number }> {
  const records = parse(text, {
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // Files from Excel, WPS and editors mix \r\n and \n: both end a record.
    record_delimiter: ["\r\n", "\n", "\r"],
  }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
  return records.filter(({ record }) => record.some((cell) => cell.trim() !== "")).map(({ record, info }) => ({ cells: record, line: info.lines }));
}

const splitIds = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map(String)
    : String(value ?? "")
        .split(/[|;；，,\s]+/)
        .filter(Boolean);

/** A CSV with a header row naming the columns (any order; unknown columns are refused, so a typo is not lost). */
export function readCsv(text: string): ParsedLine[] {
  let rows: ReturnType<typeof parseCsv>;
  try {
    rows = parseCsv(text);
  } catch (error) {
    // An unclosed quote swallows the rest of the file: name the line it opened on rather than import a half.
    const { lines } = error as { lines?: number };
    return [{ line: lines ?? 1, error: `not valid CSV (${error instanceof Error ? error.message : String(error)})` }];
  }
  const [header, ...records] = rows;
  if (!header) return [];
  const names = header.cells.map((h) => h.trim());
  const unknown = names.find((name) => !(COLUMNS as readonly string[]).includes(name));
  if (unknown !== undefined) return [{ line: 1, error: `unknown column "${unknown}"; the columns are ${COLUMNS.join(", ")}` }];
  if (!names.includes("question")) return [{ line: 1, error: "the header row must name a question column" }];
  return records.map(({ cells, line }) => {
    const value = (name: string) => cells[names.indexOf(name)]?.trim() || undefined;
    return {
      line,
      input: {
        question: value("question") ?? "",
        measureIds: splitIds(value("measureIds")),
        answer: value("answer"),
        refusal: value("refusal"),
        note: value("note"),
      },
    };
  });
}

/** One JSON object a line: {question, measureIds, answer?, refusal?, note?}. */
export function readJsonl(text: string): ParsedLine[] {
  return text.split(/\r?\n/).flatMap((raw, i): ParsedLine[] => {
    if (!raw.trim()) return [];
    try {
      const value = JSON.parse(raw) as Record<string, unknown>;
      if (typeof value !== "object" || value === null || Array.isArray(value)) return [{ line: i + 1, error: "each line must be a JSON object" }];
      const text = (key: string) => (typeof value[key] === "string" ? (value[key] as string) : undefined);
      return [
        {
          line: i + 1,
          input: {
            question: text("question") ?? "",
            measureIds: splitIds(value.measureIds),
            answer: text("answer"),
            refusal: text("refusal"),
            note: text("note"),
          },
        },
      ];
    } catch {
      return [{ line: i + 1, error: "not valid JSON" }];
    }
  });
}

const csvCell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export function toCsv(entries: LibraryEntry[]): string {
  const lines = entries.map((e) => [e.question, e.measureIds.join("|"), e.answer ?? "", e.refusal ?? "", e.note ?? ""].map(csvCell).join(","));
  return `${[COLUMNS.join(","), ...lines].join("\r\n")}\r\n`;
}

export function toJsonl(entries: LibraryEntry[]): string {
  return (
    entries.map((e) => JSON.stringify({ question: e.question, measureIds: e.measureIds, answer: e.answer, refusal: e.refusal, note: e.note })).join("\n") +
    (entries.length ? "\n" : "")
  );
}
