import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { QuestionLibrary, ValidInput } from "../library/question-library.js";
import { validateEntry } from "../library/validate-entry.js";
import type { KnowledgeBase } from "../search/knowledge-base.js";
import { analyseQuery } from "../search/query.js";
import { bigrams, queryWords } from "../search/tokenize.js";
import { type AuditSchema, recordAudit } from "../store/audit.js";
import type { Store } from "../store/store.js";
import { clusterBy } from "./clusters.js";
import { blockingKeys, needSimilarity, type ReadQuestion, readQuestion } from "./need-similarity.js";
import { type Reason, type ReasonKind, type ReviewTurn, reviewReasons } from "./reasons.js";
import { recentTurns } from "./recent-turns.js";
import { questionTopics } from "./topics.js";

export interface ReviewQueueOptions {
  store: Pick<Store, "db">;
  library: QuestionLibrary;
  knowledgeBase: () => KnowledgeBase;
  /** Milliseconds since the epoch. */
  now?: () => number;
  /** The queue reads answers of the last `days` days… */
  days?: number;
  /** …and at most this many, newest first. */
  maxTurns?: number;
}

export interface ClusterReason {
  kind: ReasonKind;
  /** How many of the cluster's answers have it. */
  count: number;
  /** suspect-topic: the topics no cited clause named. */
  words?: string[];
  /** rated-down: what raters wrote. */
  comments?: string[];
}

export interface SuggestedMeasure {
  id: string;
  path: string;
  document: string;
  text: string;
}

/** One need: the paraphrases asked of it, why their answers wait for a person, and the clauses likely to answer them. */
export interface ReviewCluster {
  id: string;
  /** How many stored answers. */
  size: number;
  /** The distinct questions, the most asked first. */
  examples: string[];
  reasons: ClusterReason[];
  firstSeen: string;
  lastSeen: string;
  suggestedMeasures: SuggestedMeasure[];
}

export type TeachOutcome =
  | { ok: true; created: Array<{ question: string; entryId: string }>; skipped: Array<{ question: string; entryId: string }> }
  | { ok: false; reason: "not-found" }
  | { ok: false; reason: "invalid"; field: string; error: string };

const DAY_MS = 86_400_000;
const SUGGESTED = 5;
const SEARCHED_EXAMPLES = 3;
const CACHED_SUGGESTIONS = 1000;

interface Pending {
  turn: ReviewTurn;
  reasons: Reason[];
}

interface Question extends ReadQuestion {
  turns: Pending[];
}

const clusterId = (turns: Pending[]) =>
  createHash("sha256")
    .update(turns.map((p) => p.turn.id).sort()[0])
    .digest("hex")
    .slice(0, 16);

/**
 * 待复核: the answers of the last days that need a person (reasons.ts), grouped into needs (clusters.ts), and
 * taught to the question library from a cluster in one step.
 */
export class ReviewQueue {
  private readonly now: () => number;
  private readonly days: number;
  private readonly maxTurns: number;
  private readonly suggestions = new WeakMap<KnowledgeBase, Map<string, SuggestedMeasure[]>>();

  constructor(private readonly options: ReviewQueueOptions) {
    this.now = options.now ?? Date.now;
    this.days = options.days ?? 30;
    this.maxTurns = options.maxTurns ?? 1000;
  }

  /** The answers waiting, one question read once however often it was asked, grouped by need. */
  private async needs(): Promise<Array<{ id: string; questions: Question[]; pending: Pending[] }>> {
    const kb = this.options.knowledgeBase();
    const since = new Date(this.now() - this.days * DAY_MS).toISOString();
    const turns = await recentTurns(this.options.store.db, { since, limit: this.maxTurns });
    const byQuestion = new Map<string, Question>();
    for (const turn of turns) {
      // Taught after it was asked: the library answers it now.
      const [taught] = this.options.library.nearest(turn.question);
      if (taught && taught.entry.updatedAt >= turn.createdAt) continue;
      const reasons = reviewReasons(turn, kb);
      if (!reasons.length) continue;
      const read = byQuestion.get(turn.question) ?? { ...readQuestion(turn.question, kb), turns: [] };
      read.turns.push({ turn, reasons });
      byQuestion.set(turn.question, read);
    }
    const questions = [...byQuestion.values()].sort((a, b) => b.turns.length - a.turns.length);
    return clusterBy(questions, needSimilarity, { keys: blockingKeys(questions) }).map(({ members }) => {
      const pending = members.flatMap((m) => m.turns);
      return { id: clusterId(pending), questions: members, pending };
    });
  }

  async clusters({ limit = 50 }: { limit?: number } = {}): Promise<ReviewCluster[]> {
    const kb = this.options.knowledgeBase();
    const needs = (await this.needs()).sort((a, b) => b.pending.length - a.pending.length || lastSeen(b.pending).localeCompare(lastSeen(a.pending)));
    const clusters: ReviewCluster[] = [];
    for (const need of needs.slice(0, limit)) {
      const times = need.pending.map((p) => p.turn.createdAt).sort();
      clusters.push({
        id: need.id,
        size: need.pending.length,
        examples: need.questions.map((q) => q.question),
        reasons: summarise(need.pending),
        firstSeen: times[0],
        lastSeen: times.at(-1)!,
        suggestedMeasures: await this.suggest(kb, need.questions, need.pending),
      });
    }
    return clusters;
  }

  /**
   * The clauses staff are likely to link: found for the most asked questions and for each topic the answers missed
   * (稳岗返还, read in all its thesaurus forms: 稳岗补贴, 稳岗资金…), ranked by how often and how high they came. The
   * clauses a suspect answer cited lack what it missed (返还被骗款项 for 稳岗返还): they are not suggested.
   */
  private async suggest(kb: KnowledgeBase, questions: Question[], pending: Pending[]): Promise<SuggestedMeasure[]> {
    // Searched once per knowledge base and cluster content: staff reload the queue often, and it rarely changes between.
    const cache = this.suggestions.get(kb) ?? new Map<string, SuggestedMeasure[]>();
    this.suggestions.set(kb, cache);
    const key = JSON.stringify([
      questions.slice(0, SEARCHED_EXAMPLES).map((q) => q.question),
      pending.map((p) => p.reasons),
      pending.map((p) => p.turn.citations.map((c) => c.measureId)),
    ]);
    const known = cache.get(key);
    if (known) return known;
    const found = await this.search(kb, questions, pending);
    if (cache.size >= CACHED_SUGGESTIONS) cache.delete(cache.keys().next().value!);
    cache.set(key, found);
    return found;
  }

  private async search(kb: KnowledgeBase, questions: Question[], pending: Pending[]): Promise<SuggestedMeasure[]> {
    const missed = [...new Set(pending.flatMap((p) => p.reasons.flatMap((r) => r.words ?? [])))];
    const wrong = new Set(pending.filter((p) => p.reasons.some((r) => r.kind === "suspect-topic")).flatMap((p) => p.turn.citations.map((c) => c.measureId)));
    const scores = new Map<string, number>();
    const missedForms = missed.map(
      (label) =>
        questionTopics(label, kb)
          .flatMap((topic) => topic.forms)
          .join(" ") || label,
    );
    // What the answers missed is what the right clause must name: those searches count double.
    const searches = [
      ...questions.slice(0, SEARCHED_EXAMPLES).map((q) => ({ text: q.question, weight: 1 })),
      ...missedForms.map((text) => ({ text, weight: 2 })),
    ];
    for (const { text, weight } of searches) {
      const reading = analyseQuery(text, kb.index.keywordIndex, kb.lexicon);
      const hits = await kb.retriever.search({ text: reading.text, regions: reading.regions, limit: SUGGESTED * 2 });
      for (const [rank, hit] of hits.filter((h) => !wrong.has(h.measureId)).entries())
        scores.set(hit.measureId, (scores.get(hit.measureId) ?? 0) + weight / (rank + 1));
    }
    // A clause naming part of what was missed (稳岗 of 稳岗扩岗, 失业保险 of 失业保险稳岗返还) is the likelier one; the
    // part the wrong clauses have too (返还 of 返还被骗款项) is what misled the answer, not a sign.
    const wrongTexts = [...wrong].map((id) => (id && kb.measuresById.get(id)?.text) || "");
    const parts = [...new Set(missedForms.flatMap((forms) => [...bigrams(forms.split(" ")[0]), ...queryWords(forms)]))].filter(
      (part) => !wrongTexts.some((text) => text.includes(part)),
    );
    const names = (id: string) => parts.some((part) => kb.measuresById.get(id)?.text.includes(part));
    return [...scores]
      .map(([id, score]): [string, number] => [id, names(id) ? score * 2 : score])
      .sort((a, b) => b[1] - a[1])
      .slice(0, SUGGESTED)
      .flatMap(([id]) => {
        const measure = kb.measuresById.get(id);
        return measure ? [{ id, path: measure.path.join(" › "), document: kb.documentOf(measure).shortTitle, text: measure.text }] : [];
      });
  }

  /**
   * Teaches every question of a cluster (or the `questions` of it staff kept) to the library, linked to `measureIds`:
   * each checked as an entry typed by hand is, then written together (the library's import: one transaction);
   * questions already taught are left as they are.
   */
  async teach(id: string, { measureIds, questions, actor }: { measureIds: string[]; questions?: string[]; actor: string }): Promise<TeachOutcome> {
    const need = (await this.needs()).find((n) => n.id === id);
    if (!need) return { ok: false, reason: "not-found" };
    const kb = this.options.knowledgeBase();
    const { library } = this.options;
    const chosen = need.questions.map((q) => q.question).filter((q) => !questions || questions.includes(q));
    if (!chosen.length) return { ok: false, reason: "invalid", field: "questions", error: "none of these questions is in the cluster" };
    const skipped: Array<{ question: string; entryId: string }> = [];
    const valid: ValidInput[] = [];
    for (const [i, question] of chosen.entries()) {
      const checked = validateEntry({ question, measureIds, note: "待复核：按问法归类后一并关联" }, kb);
      if (!checked.ok)
        return { ok: false, reason: "invalid", field: checked.field.startsWith("question") ? `questions.${i}` : checked.field, error: checked.error };
      const taught = library.taught(question);
      if (taught) skipped.push({ question, entryId: taught.id });
      else valid.push(checked.value);
    }
    if (valid.length) await library.importMany(valid, actor);
    const created = valid.map((input) => ({ question: input.question, entryId: library.taught(input.question)?.id ?? "" }));
    await recordAudit(library.db as unknown as Kysely<AuditSchema>, {
      actor,
      action: "review.teach",
      target: id,
      detail: { measureIds, created: created.map((c) => c.entryId), skipped: skipped.map((s) => s.entryId) },
    });
    return { ok: true, created, skipped };
  }
}

const lastSeen = (pending: Pending[]) =>
  pending
    .map((p) => p.turn.createdAt)
    .sort()
    .at(-1) ?? "";

const REASON_ORDER: ReasonKind[] = ["suspect-topic", "suspect-yes-no", "rated-down", "refused", "low-confidence"];

function summarise(pending: Pending[]): ClusterReason[] {
  const byKind = new Map<ReasonKind, ClusterReason>();
  for (const reason of pending.flatMap((p) => p.reasons)) {
    const summary = byKind.get(reason.kind) ?? { kind: reason.kind, count: 0 };
    summary.count++;
    if (reason.words) summary.words = [...new Set([...(summary.words ?? []), ...reason.words])];
    if (reason.comment) summary.comments = [...(summary.comments ?? []), reason.comment];
    byKind.set(reason.kind, summary);
  }
  return REASON_ORDER.flatMap((kind) => byKind.get(kind) ?? []);
}
