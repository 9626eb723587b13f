import { randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { type Compilable, type Kysely, sql } from "kysely";
import type { Logger } from "pino";
import type { LibraryLookup, LibraryMatch } from "../answer/seams.js";
import { maskPersonalData } from "../privacy/mask-personal-data.js";
import { type AuditEntry, type AuditSchema, recordAudit } from "../store/audit.js";
import { type AnyDatabase, isSqlite, openStaffDatabase } from "../store/database.js";
import type { RefusalReason } from "../types.js";
import type { LibraryEntry, LibraryEntryInput } from "./entry.js";
import { type NearDuplicate, NearDuplicateIndex } from "./near-duplicates.js";
import { type RelatedMeasure, RelatedQuestionIndex } from "./related-questions.js";
import { type LibraryEntryTable, type LibrarySchema, libraryMigrations } from "./schema.js";

export interface OpenLibraryOptions {
  /** The store's database (`store.db`, SQLite or PostgreSQL): the library lives beside conversations and feedback. */
  db?: AnyDatabase;
  /**
   * The store's SQLite connection (`store.sqlite`), when it has one: `match` then notices another process's
   * writes before every question. Without it (PostgreSQL) the library polls for them every `pollMs`.
   */
  sqlite?: Database.Database;
  logger?: Logger;
  now?: () => string;
  pollMs?: number;
  /**
   * Called after each committed write, with the new revision: main.ts publishes it on the change feed
   * (`runtime.changes`), so the other instances reload at once instead of at their next poll.
   */
  onChange?: (revision: number) => void;
}

/** An entry already validated against the knowledge base (validate-entry.ts). */
export type ValidInput = LibraryEntryInput & { refusal?: RefusalReason };

export type WriteOutcome = { ok: true; entry: LibraryEntry } | { ok: false; reason: "duplicate"; existingId: string } | { ok: false; reason: "not-found" };

const IMPORT_CHUNK = 500;

function toEntry(row: LibraryEntryTable): LibraryEntry {
  return {
    id: row.id,
    question: row.question,
    measureIds: JSON.parse(row.measure_ids) as string[],
    ...(row.answer ? { answer: row.answer } : {}),
    ...(row.refusal ? { refusal: row.refusal as RefusalReason } : {}),
    ...(row.note ? { note: row.note } : {}),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
    hitCount: row.hit_count,
    ...(row.last_hit_at ? { lastHitAt: row.last_hit_at } : {}),
  };
}

/**
 * The question library (问题库): questions staff linked to measures, reviewed
 * answers and refusals, in the store's SQLite file (kysely, migrated at open).
 * Kept in memory for the fast path `ask` takes on every question; another
 * process writing the same file (the Slack app) is noticed by a revision
 * number and reloaded before the next match.
 */
export class QuestionLibrary implements LibraryLookup {
  private readonly entries = new Map<string, LibraryEntry>();
  private readonly nearDuplicates = new NearDuplicateIndex();
  private readonly relatedIndex = new RelatedQuestionIndex();
  private revision = -1;
  private poller?: NodeJS.Timeout;
  /** Prepared once: the revision is read on every ask, and preparing cost more than the read. */
  private revisionStatement?: Database.Statement;

  private constructor(
    readonly db: Kysely<LibrarySchema>,
    private readonly sqlite: Database.Database | undefined,
    private readonly logger: Logger | undefined,
    private readonly now: () => string,
    private readonly onChange?: (revision: number) => void,
  ) {}

  static async open({ db, sqlite, logger, now = () => new Date().toISOString(), pollMs = 2000, onChange }: OpenLibraryOptions): Promise<QuestionLibrary> {
    const target = db ?? sqlite;
    if (!target) throw new Error("QuestionLibrary.open needs the store's db or sqlite");
    const staff = await openStaffDatabase<LibrarySchema>(target, libraryMigrations);
    // Synchronous reads only on the very connection kysely uses, so both see the same data.
    const syncReads = sqlite && (!db || isSqlite(db)) ? sqlite : undefined;
    const library = new QuestionLibrary(staff, syncReads, logger, now, onChange);
    await library.reload();
    if (!syncReads) {
      library.poller = setInterval(() => void library.reload().catch((error) => logger?.warn({ err: error }, "could not reload the question library")), pollMs);
      library.poller.unref();
    }
    return library;
  }

  /** Stops polling (PostgreSQL); the database itself belongs to the store. */
  close(): void {
    clearInterval(this.poller);
  }

  /** Reloads (asynchronously, any database) when another connection changed the library since we last read it. */
  async reload(): Promise<void> {
    const state = await this.db.selectFrom("library_state").select("revision").where("id", "=", 1).executeTakeFirstOrThrow();
    if (state.revision === this.revision) return;
    this.replaceAll(await this.db.selectFrom("library_entries").selectAll().execute(), state.revision);
  }

  private replaceAll(rows: LibraryEntryTable[], revision: number): void {
    this.entries.clear();
    this.nearDuplicates.clear();
    this.relatedIndex.clear();
    for (const row of rows) this.cache(toEntry(row));
    this.revision = revision;
  }

  /** Runs a kysely query synchronously on the shared SQLite connection: `match` sits on every ask and stays synchronous. */
  private readSync<T>(sqlite: Database.Database, query: Compilable<T>): T[] {
    const compiled = query.compile();
    return sqlite.prepare(compiled.sql).all(...(compiled.parameters as unknown[])) as T[];
  }

  /** On SQLite, reloads at once when another process changed the library; on PostgreSQL the poller does it. */
  private refresh(): void {
    if (!this.sqlite) return;
    if (!this.revisionStatement) {
      const compiled = this.db.selectFrom("library_state").select("revision").where("id", "=", 1).compile();
      this.revisionStatement = this.sqlite.prepare(compiled.sql).bind(...(compiled.parameters as unknown[]));
    }
    const state = this.revisionStatement.get() as { revision: number };
    if (state.revision === this.revision) return;
    this.replaceAll(this.readSync(this.sqlite, this.db.selectFrom("library_entries").selectAll()), state.revision);
  }

  private cache(entry: LibraryEntry): void {
    this.entries.set(entry.id, entry);
    this.nearDuplicates.put(entry.id, entry.question);
    this.relatedIndex.put(entry.id, entry.question, entry.measureIds);
  }

  private uncache(id: string): void {
    this.entries.delete(id);
    this.nearDuplicates.remove(id);
    this.relatedIndex.remove(id);
  }

  /** The revision answers are given from: another process's change is read first (on SQLite; the poller does it on PostgreSQL). */
  get currentRevision(): number {
    this.refresh();
    return this.revision;
  }

  /** The taught entry close enough to answer this question from, counted as a hit. */
  match(question: string): LibraryMatch | undefined {
    const [best] = this.nearest(question);
    if (!best) return undefined;
    const entry = this.entries.get(best.id)!;
    this.recordHit(entry);
    return { entryId: entry.id, measureIds: entry.measureIds, answer: entry.answer, refusal: entry.refusal };
  }

  /** Near-duplicate taught questions, closest first, without counting a hit (the hit test). */
  nearest(question: string): Array<NearDuplicate & { entry: LibraryEntry }> {
    this.refresh();
    return this.nearDuplicates.find(question).map((found) => ({ ...found, entry: this.entries.get(found.id)! }));
  }

  /** Measures whose taught questions are worded like this one: candidates for library/fuse-related.ts. */
  related(question: string): RelatedMeasure[] {
    this.refresh();
    return this.relatedIndex.search(question);
  }

  /** The same lookup without counting hits: for the hit test, which must not make an entry look used. */
  withoutHitCounting(): LibraryLookup {
    return {
      match: (question) => {
        const [best] = this.nearest(question);
        return best && { entryId: best.entry.id, measureIds: best.entry.measureIds, answer: best.entry.answer, refusal: best.entry.refusal };
      },
      related: (question) => this.related(question),
    };
  }

  private recordHit(entry: LibraryEntry): void {
    const at = this.now();
    entry.hitCount++;
    entry.lastHitAt = at;
    // Counted off the answer's path; a failed count is logged, never a failed answer.
    this.db
      .updateTable("library_entries")
      .set({ hit_count: sql`hit_count + 1`, last_hit_at: at })
      .where("id", "=", entry.id)
      .execute()
      .catch((error) => this.logger?.warn({ err: error, entryId: entry.id }, "could not count a library hit"));
  }

  /**
   * Every measure a stored answer was given from (within RETENTION_DAYS), read from the store's daily tallies
   * (measure_stats), which grow with days × measures, not with turns. A low answer only offered its clauses as the
   * nearest: it reached nothing.
   */
  async citedMeasureIds(): Promise<Set<string>> {
    const tallies = this.db as unknown as Kysely<{ measure_stats: { measure_id: string } }>;
    const rows = await tallies.selectFrom("measure_stats").select("measure_id").distinct().execute();
    return new Set(rows.map((r) => r.measure_id));
  }

  get(id: string): LibraryEntry | undefined {
    this.refresh();
    return this.entries.get(id);
  }

  /** Every entry, newest change first. */
  all(): LibraryEntry[] {
    this.refresh();
    return [...this.entries.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
  }

  /** Entries whose question, note or answer holds `q`, or that link a measure id equal to it. */
  list({ q, page = 1, pageSize = 20 }: { q?: string; page?: number; pageSize?: number } = {}): { total: number; entries: LibraryEntry[] } {
    const needle = q?.trim();
    const all = this.all().filter(
      (e) => !needle || e.question.includes(needle) || e.note?.includes(needle) || e.answer?.includes(needle) || e.measureIds.includes(needle),
    );
    return { total: all.length, entries: all.slice((page - 1) * pageSize, page * pageSize) };
  }

  /** Which entry already teaches this question (same key), if any. */
  taught(question: string): LibraryEntry | undefined {
    this.refresh();
    // Taught questions are stored masked, so the question is masked before it is compared.
    const id = this.nearDuplicates.idOfKey(NearDuplicateIndex.keyOf(maskPersonalData(question)));
    return id ? this.entries.get(id) : undefined;
  }

  private row(input: ValidInput, actor: string, at: string, id: string = randomUUID()): LibraryEntryTable {
    const question = maskPersonalData(input.question);
    return {
      id,
      question,
      question_key: NearDuplicateIndex.keyOf(question),
      measure_ids: JSON.stringify(input.measureIds),
      answer: input.answer ?? null,
      refusal: input.refusal ?? null,
      note: input.note ? maskPersonalData(input.note) : null,
      created_at: at,
      created_by: actor,
      updated_at: at,
      updated_by: actor,
      hit_count: 0,
      last_hit_at: null,
    };
  }

  private bump(trx: Kysely<LibrarySchema>) {
    return trx.updateTable("library_state").set({ revision: sql`revision + 1` }).where("id", "=", 1).returning("revision").executeTakeFirstOrThrow();
  }

  /** Adds an entry; `alongside` runs in the same transaction (accepting a suggestion records it, or neither happens). */
  async create(
    input: ValidInput,
    actor: string,
    { alongside }: { alongside?: (trx: Kysely<LibrarySchema>, entryId: string) => Promise<void> } = {},
  ): Promise<WriteOutcome> {
    this.refresh();
    const existing = this.taught(input.question);
    if (existing) return { ok: false, reason: "duplicate", existingId: existing.id };
    const row = this.row(input, actor, this.now());
    const state = await this.db.transaction().execute(async (trx) => {
      await trx.insertInto("library_entries").values(row).execute();
      await audit(trx, { actor, action: "library.create", target: row.id, detail: describe(row) }, this.now);
      await alongside?.(trx, row.id);
      return this.bump(trx);
    });
    return this.applied(state.revision, toEntry(row));
  }

  async update(id: string, input: ValidInput, actor: string): Promise<WriteOutcome> {
    this.refresh();
    const before = this.entries.get(id);
    if (!before) return { ok: false, reason: "not-found" };
    const clash = this.taught(input.question);
    if (clash && clash.id !== id) return { ok: false, reason: "duplicate", existingId: clash.id };
    const at = this.now();
    const { id: _, created_at, created_by, hit_count, last_hit_at, ...changes } = this.row(input, actor, at, id);
    const state = await this.db.transaction().execute(async (trx) => {
      await trx.updateTable("library_entries").set(changes).where("id", "=", id).execute();
      await audit(trx, { actor, action: "library.update", target: id, detail: { before: describeEntry(before), after: describe(changes) } }, this.now);
      return this.bump(trx);
    });
    return this.applied(state.revision, {
      ...toEntry({
        ...changes,
        id,
        created_at: before.createdAt,
        created_by: before.createdBy,
        hit_count: before.hitCount,
        last_hit_at: before.lastHitAt ?? null,
      }),
    });
  }

  async remove(id: string, actor: string): Promise<LibraryEntry | undefined> {
    this.refresh();
    const before = this.entries.get(id);
    if (!before) return undefined;
    const state = await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("library_entries").where("id", "=", id).execute();
      await audit(trx, { actor, action: "library.delete", target: id, detail: describeEntry(before) }, this.now);
      return this.bump(trx);
    });
    this.uncache(id);
    this.settle(state.revision);
    return before;
  }

  /**
   * Adds or replaces (same question) many entries, in chunks of 500 with a
   * pause between them so the server keeps answering while 10,000 go in.
   * Inputs are validated by the caller first, so a bad line stops nothing half-way.
   */
  async importMany(inputs: ValidInput[], actor: string): Promise<{ created: number; updated: number }> {
    this.refresh();
    let created = 0;
    let updated = 0;
    const byKey = new Map<string, ValidInput>();
    for (const [i, input] of inputs.entries()) {
      byKey.set(NearDuplicateIndex.keyOf(maskPersonalData(input.question)), input);
      if (i % IMPORT_CHUNK === IMPORT_CHUNK - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    const unique = [...byKey.values()];
    for (let start = 0; start < unique.length; start += IMPORT_CHUNK) {
      const chunk = unique.slice(start, start + IMPORT_CHUNK);
      const at = this.now();
      const rows = chunk.map((input) => {
        const existing = this.taught(input.question);
        const row = this.row(input, actor, at, existing?.id);
        if (existing) {
          updated++;
          return {
            ...row,
            created_at: existing.createdAt,
            created_by: existing.createdBy,
            hit_count: existing.hitCount,
            last_hit_at: existing.lastHitAt ?? null,
          };
        }
        created++;
        return row;
      });
      const state = await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto("library_entries")
          .values(rows)
          .onConflict((conflict) =>
            conflict.column("id").doUpdateSet((eb) => ({
              question: eb.ref("excluded.question"),
              question_key: eb.ref("excluded.question_key"),
              measure_ids: eb.ref("excluded.measure_ids"),
              answer: eb.ref("excluded.answer"),
              refusal: eb.ref("excluded.refusal"),
              note: eb.ref("excluded.note"),
              updated_at: eb.ref("excluded.updated_at"),
              updated_by: eb.ref("excluded.updated_by"),
            })),
          )
          .execute();
        return this.bump(trx);
      });
      for (const row of rows) this.cache(toEntry(row));
      this.settle(state.revision);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await audit(this.db, { actor, action: "library.import", target: "library", detail: { created, updated } }, this.now);
    return { created, updated };
  }

  private applied(revision: number, entry: LibraryEntry): WriteOutcome {
    this.cache(entry);
    this.settle(revision);
    return { ok: true, entry };
  }

  /** Our own write moved the revision by one: the cache is current; otherwise another process wrote too, so reload. */
  private settle(revision: number): void {
    if (revision === this.revision + 1) this.revision = revision;
    else this.revision = -1;
    this.onChange?.(revision);
  }
}

/** kysely's types are invariant in the schema: the audit table is part of ours, so this cast only narrows. */
const audit = (db: Kysely<LibrarySchema>, entry: AuditEntry, now: () => string) => recordAudit(db as unknown as Kysely<AuditSchema>, entry, now);

const describe = (row: Partial<LibraryEntryTable>) => ({
  question: row.question,
  measureIds: row.measure_ids ? JSON.parse(row.measure_ids) : undefined,
  answer: row.answer ?? undefined,
  refusal: row.refusal ?? undefined,
  note: row.note ?? undefined,
});
const describeEntry = (entry: LibraryEntry) => ({
  question: entry.question,
  measureIds: entry.measureIds,
  answer: entry.answer,
  refusal: entry.refusal,
  note: entry.note,
});
