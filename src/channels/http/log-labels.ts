import labels from "./log-labels.json" with { type: "json" };

/** The Chinese names of channels, outcomes, refusal reasons and ratings, for the staff pages and the CSV export. */
export const LOG_LABELS: {
  channels: Record<string, string>;
  outcomes: Record<string, string>;
  reasons: Record<string, string>;
  ratings: Record<string, string>;
} = labels;

export const labelOf = (kind: keyof typeof LOG_LABELS, value: string | undefined) => (value === undefined ? "" : (LOG_LABELS[kind][value] ?? value));

/** Fills a staff page's {{LABELS}} with the labels, so page and export name things alike. */
export const withLabels = (html: string) => html.replace("{{LABELS}}", JSON.stringify(LOG_LABELS).replace(/</g, "\\u003c"));
