import type { DocumentsDatabase, Parsed } from "./document-types.js";
import { compactTitle, effective } from "./document-view.js";
import type { DocumentsTable } from "./documents-table.js";

/** Every published record, oldest first: the set answers come from. */
export async function publishedRows(db: DocumentsDatabase): Promise<DocumentsTable[]> {
  return db.selectFrom("policy_documents").selectAll().where("state", "=", "published").orderBy("created_at").execute();
}

/** The published version of the same document (same 文号, else the same title), for a new upload. */
async function previousVersion(db: DocumentsDatabase, parsed: Parsed): Promise<DocumentsTable | undefined> {
  const first = parsed.documents[0];
  if (first?.format !== "compilation") return undefined;
  for (const row of await publishedRows(db)) {
    const other = effective(row).documents[0];
    if ((first.docNumber && other.docNumber === first.docNumber) || compactTitle(other.title) === compactTitle(first.title)) return row;
  }
  return undefined;
}

/** The family and version a newly read upload takes: the next version of the published document it matches, else its own first version. */
export async function placeInFamily(db: DocumentsDatabase, parsed: Parsed): Promise<{ familyId?: string; version: number }> {
  const previous = await previousVersion(db, parsed);
  if (!previous) return { version: 1 };
  const latest = await db
    .selectFrom("policy_documents")
    .select(({ fn }) => fn.max("version").as("version"))
    .where("family_id", "=", previous.family_id)
    .executeTakeFirst();
  return { familyId: previous.family_id, version: Number(latest?.version ?? previous.version) + 1 };
}

/** The version before `row` in its family that was ever live (published or archived), to diff against. */
export async function baseVersion(db: DocumentsDatabase, row: DocumentsTable): Promise<DocumentsTable | undefined> {
  if (row.family_id === row.id && row.version === 1) return undefined;
  return db
    .selectFrom("policy_documents")
    .selectAll()
    .where("family_id", "=", row.family_id)
    .where("version", "<", row.version)
    .where("state", "in", ["published", "archived"])
    .orderBy("version", "desc")
    .executeTakeFirst();
}
