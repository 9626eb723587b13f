/**
 * The judging rules of ../shared/eval/score.mjs, so `npm run eval` needs no
 * shared folder: clauses named by gold phrases must be cited in the top five,
 * facts must be stated, and stated within the first 300 characters.
 */
export interface JudgedQuestion {
  id: string;
  expect: "answer" | "refuse";
  gold: string[][];
  facts: string[][];
}

export interface JudgedAnswer {
  id: string | number;
  answer: string;
  refused: boolean;
  citations: Array<{ text: string }>;
}

const norm = (s: string) =>
  String(s ?? "")
    .normalize("NFKC")
    .replace(/\s+/g, "");

export function scoreAnswers(questions: JudgedQuestion[], answers: JudgedAnswer[]) {
  const byId = new Map(answers.map((a) => [a.id, a]));
  let direct = 0;
  const directIds = new Set<string>();
  let hit1 = 0;
  let answerable = 0;
  let refusedOk = 0;
  let falseRefusals = 0;
  const misses: string[] = [];
  for (const q of questions) {
    const a = byId.get(q.id);
    if (!a) {
      misses.push(`${q.id}: no answer`);
      continue;
    }
    if (q.expect === "refuse") {
      if (a.refused) {
        refusedOk++;
        direct++;
        directIds.add(q.id);
      } else misses.push(`${q.id}: should refuse, answered`);
      continue;
    }
    answerable++;
    if (a.refused) falseRefusals++;
    const texts = a.citations
      .slice(0, 5)
      .map((c) => norm(c.text))
      .map((t) => (t.length > 1500 ? "" : t));
    const has = (group: string[], pool: string[]) => group.some((alt) => pool.some((t) => t.includes(norm(alt))));
    if (q.gold.length && has(q.gold[0], texts.slice(0, 1))) hit1++;
    const text = norm(a.answer);
    const ok = !a.refused && q.gold.every((g) => has(g, texts)) && q.facts.every((g) => g.some((alt) => text.includes(norm(alt))));
    const lead = text.slice(0, 300);
    if (ok && q.facts.every((g) => g.some((alt) => lead.includes(norm(alt))))) {
      direct++;
      directIds.add(q.id);
    } else misses.push(`${q.id}: ${ok ? "a fact is not in the first 300 characters" : "clauses or facts missing"}`);
  }
  const refusals = questions.length - answerable;
  return {
    direct,
    directIds,
    lines: [
      `score: ${direct}/${questions.length} direct`,
      `hit@1: ${hit1}/${answerable}; out-of-scope refused: ${refusedOk}/${refusals}; false refusals: ${falseRefusals}`,
      ...misses.map((m) => `miss ${m}`),
    ],
  };
}
