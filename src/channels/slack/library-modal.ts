import type { App, webApi } from "@slack/bolt";
import { sql } from "kysely";
import type { Logger } from "pino";
import { TEACHABLE_REFUSALS } from "../../library/entry.js";
import type { QuestionLibrary } from "../../library/question-library.js";
import { validateEntry } from "../../library/validate-entry.js";
import type { KnowledgeBase } from "../../search/knowledge-base.js";

export const LIBRARY_MODAL = "library_link";
const REFUSAL_LABELS: Record<(typeof TEACHABLE_REFUSALS)[number], string> = {
  "no-match": "超出知识库范围",
  "other-region": "其他地区的政策",
  "personal-matter": "个人事务",
  "request-to-act": "要求代办",
};
/** Slack caps an option's text at 75 characters and a static select at 100 options. */
const OPTION_TEXT = 75;
const CANDIDATES = 25;

export interface LibraryModalOptions {
  library: QuestionLibrary;
  knowledgeBase: () => KnowledgeBase;
  /** Slack user ids that may edit the library (SLACK_STAFF_USERS); guests and Slack Connect users are not staff by default. */
  staffUsers: readonly string[];
  logger?: Logger;
}

export const NOT_STAFF = "只有问题库维护人员（SLACK_STAFF_USERS 中的用户）可以修改问题库";
export const NOT_OFFERED = "这条条款不在为这个问题列出的选项中，请重新打开“需改进”后选择";

const option = (text: string, value: string) => ({ text: { type: "plain_text" as const, text: text.slice(0, OPTION_TEXT) }, value });

/** An optional pick from `options`, read back as the block's `value`. */
const optionalSelect = (blockId: string, label: string, placeholder: string, options: ReturnType<typeof option>[]) => ({
  type: "input",
  block_id: blockId,
  optional: true,
  label: { type: "plain_text", text: label },
  element: { type: "static_select", action_id: "value", placeholder: { type: "plain_text", text: placeholder }, options },
});

/** The clauses a staff member picks from: what search finds for the question, so the right one is usually near the top. */
async function candidates(question: string, knowledgeBase: KnowledgeBase) {
  return (await candidateMeasures(question, knowledgeBase)).map((measure) =>
    option(`${knowledgeBase.documentOf(measure).shortTitle.slice(0, 14)}·${measure.marker}${measure.heading ?? measure.text}`, measure.id),
  );
}

async function candidateMeasures(question: string, knowledgeBase: KnowledgeBase) {
  const hits = await knowledgeBase.retriever.search({ text: question, regions: [], limit: CANDIDATES });
  return hits.flatMap((hit) => knowledgeBase.measuresById.get(hit.measureId) ?? []);
}

/** The stored question of the answer rated down: what the modal's options were searched for. */
async function ratedQuestion(library: QuestionLibrary, answerId: string): Promise<string | undefined> {
  const { rows } = await sql<{ question: string }>`SELECT question FROM turns WHERE id = ${answerId}`.execute(library.db);
  return rows[0]?.question;
}

/** The modal 需改进 opens: the question, the clause that answers it (or 应拒答), saved as a library entry. */
export async function libraryModalView(question: string, answerId: string, channel: string | undefined, knowledgeBase: KnowledgeBase) {
  return {
    type: "modal" as const,
    callback_id: LIBRARY_MODAL,
    private_metadata: JSON.stringify({ answerId, channel }),
    title: { type: "plain_text" as const, text: "纠正答案" },
    submit: { type: "plain_text" as const, text: "加入问题库" },
    close: { type: "plain_text" as const, text: "取消" },
    blocks: [
      {
        type: "input",
        block_id: "question",
        label: { type: "plain_text", text: "问题" },
        element: { type: "plain_text_input", action_id: "value", initial_value: question.slice(0, 500) },
      },
      optionalSelect("measure", "能回答它的条款", "选择条款", await candidates(question, knowledgeBase)),
      optionalSelect(
        "refusal",
        "或：应拒答",
        "拒答的原因",
        TEACHABLE_REFUSALS.map((r) => option(REFUSAL_LABELS[r], r)),
      ),
    ],
  };
}

/** 需改进 → this modal, when a question library is open; called by the feedback handler after the rating is stored. */
export function openLibraryModal({ library, knowledgeBase, staffUsers, logger }: LibraryModalOptions) {
  return async ({
    client,
    triggerId,
    answerId,
    channel,
    user,
  }: {
    client: webApi.WebClient;
    triggerId: string;
    answerId: string;
    channel?: string;
    user?: string;
  }) => {
    // Anyone may rate; only staff get the form that edits the library.
    if (!user || !staffUsers.includes(user)) return;
    const question = await ratedQuestion(library, answerId);
    if (question === undefined) return;
    try {
      await client.views.open({ trigger_id: triggerId, view: (await libraryModalView(question, answerId, channel, knowledgeBase())) as never });
    } catch (error) {
      logger?.warn({ err: error }, "could not open the question-library modal");
    }
  };
}

type SelectState = Record<string, Record<string, { value?: string; selected_option?: { value: string } | null }>>;

/**
 * The modal's submission: the same checks as the API, errors shown beside the field, the entry recorded as the Slack user's.
 * Checked here, not trusted from the form: the user is staff, and the clause is one of those offered for the rated answer's question.
 */
export function registerLibraryModal(app: App, { library, knowledgeBase, staffUsers }: LibraryModalOptions): void {
  app.view(LIBRARY_MODAL, async ({ ack, view, body, client }) => {
    if (!staffUsers.includes(body.user.id)) {
      await ack({ response_action: "errors", errors: { question: NOT_STAFF } });
      return;
    }
    const values = view.state.values as SelectState;
    const question = values.question?.value?.value ?? "";
    const measureId = values.measure?.value?.selected_option?.value;
    const refusal = values.refusal?.value?.selected_option?.value;
    if (!measureId && !refusal) {
      await ack({ response_action: "errors", errors: { measure: "请选择能回答它的条款，或在下面选择应拒答的原因" } });
      return;
    }
    if (measureId && refusal) {
      await ack({ response_action: "errors", errors: { refusal: "选了条款就不能再标为应拒答" } });
      return;
    }
    const { answerId, channel } = JSON.parse(view.private_metadata || "{}") as { answerId?: string; channel?: string };
    if (measureId && !(await offered(measureId, answerId))) {
      await ack({ response_action: "errors", errors: { measure: NOT_OFFERED } });
      return;
    }
    const valid = validateEntry({ question, measureIds: measureId ? [measureId] : [], refusal, note: "来自 Slack 需改进" }, knowledgeBase());
    if (!valid.ok) {
      const block = valid.field.startsWith("measure") ? "measure" : valid.field === "refusal" ? "refusal" : "question";
      await ack({ response_action: "errors", errors: { [block]: valid.error } });
      return;
    }
    const existing = library.taught(valid.value.question);
    const outcome = existing
      ? await library.update(existing.id, valid.value, `slack:${body.user.id}`)
      : await library.create(valid.value, `slack:${body.user.id}`);
    if (!outcome.ok) {
      await ack({ response_action: "errors", errors: { question: "这个问题已在问题库中" } });
      return;
    }
    await ack();
    if (channel)
      await client.chat.postEphemeral({
        channel,
        user: body.user.id,
        text: `已加入问题库：“${valid.value.question}”，再问即按所选${refusal ? "原因拒答" : "条款回答"}。`,
      });
  });

  /** Whether `measureId` is among the options the modal listed for the rated answer's stored question. */
  async function offered(measureId: string, answerId: string | undefined): Promise<boolean> {
    const question = answerId ? await ratedQuestion(library, answerId) : undefined;
    if (question === undefined) return false;
    return (await candidateMeasures(question, knowledgeBase())).some((measure) => measure.id === measureId);
  }
}
