/**
 * A notice the project wrote for the fidelity tests and bench (not a real
 * one): two levels of outline (一、 › （一）), figures, a signature block and an
 * 附件 with a table, in characters that fonts often share with radicals
 * (人民 长 见 门 齐 …), so every producer's file can be checked against it.
 */
export const FIDELITY_NOTICE = {
  title: "吐鲁番市人民政府关于进一步支持小微企业和个体工商户发展的通知",
  docNumber: "吐政发〔2025〕8号",
  date: "2025-02-20",
  addressee: "各区（县）人民政府，市直各部门：",
  preamble: "为进一步激发市场主体活力，帮助小微企业和个体工商户稳定经营、长期发展，经市人民政府研究同意，现将有关事项通知如下。",
  sections: [
    {
      heading: "一、减轻经营负担",
      clauses: [
        {
          label: "（一）",
          text: "减免房屋租金。对承租市属国有企业经营性房产的小微企业和个体工商户，2025年减免3个月租金，减免比例为40%，每户减免金额最高不超过5万元。",
        },
        {
          label: "（二）",
          text: "降低用电成本。对小微企业和个体工商户用电实行“欠费不停供”措施，设立6个月的费用缓缴期，缓缴期间免收欠费滞纳金。",
        },
        {
          label: "（三）",
          text: "减免检验检测费用。市场监管部门所属检验检测机构对小微企业的检验检测费用减半收取，期限为2025年1月1日至2025年12月31日。",
        },
      ],
    },
    {
      heading: "二、加大金融支持",
      clauses: [
        {
          label: "（一）",
          text: "扩大信贷投放。鼓励银行机构对小微企业贷款实行“无还本续贷”，全年新增普惠小微贷款不少于30亿元，门槛不高于上年。",
        },
        {
          label: "（二）",
          text: "给予贷款贴息。对符合条件的个体工商户新发放的创业担保贷款，按贷款市场报价利率的50%给予贴息，每户贴息期限最长不超过3年。",
        },
      ],
    },
    {
      heading: "三、优化政务服务",
      clauses: [
        { label: "（一）", text: "压缩办理时限。企业开办全程网上办理，办理时限压缩至1个工作日以内，见单即办。" },
        { label: "（二）", text: "推行“免申即享”。对符合条件的惠企政策，通过数据比对直接兑现，企业无需提交申请，资金齐全后10个工作日内拨付到位。" },
      ],
    },
    { heading: "", clauses: [{ label: "四、", text: "强化组织保障。各部门要明确责任分工，于2025年6月30日前制定具体实施细则，并向社会公开。" }] },
    { heading: "", clauses: [{ label: "五、", text: "本通知自2025年3月1日起施行，有效期至2025年12月31日。" }] },
  ],
  signatory: "吐鲁番市人民政府",
  signedOn: "2025年2月20日",
  annex: {
    title: "小微企业和个体工商户减免政策责任分工表",
    rows: [
      ["项目", "标准", "责任单位"],
      ["房屋租金减免", "减免3个月租金，比例40%", "市国资委"],
      ["检验检测费用", "减半收取", "市市场监管局"],
      ["创业担保贷款贴息", "贴息50%", "市财政局"],
    ],
  },
};

export interface ExpectedClause {
  /** The clause's outline path as the parser gives it: 一、减轻经营负担 › （一）. */
  path: string;
  text: string;
}

/** Every clause a reader of the notice should find, with its outline path and text. */
export function expectedClauses(): ExpectedClause[] {
  const clauses: ExpectedClause[] = [];
  for (const section of FIDELITY_NOTICE.sections) {
    for (const clause of section.clauses) clauses.push({ path: [section.heading, clause.label].filter(Boolean).join(" › "), text: clause.text });
  }
  const { annex } = FIDELITY_NOTICE;
  clauses.push({ path: "附件", text: [annex.title, ...annex.rows.map((row) => row.join(" | "))].join("\n") });
  return clauses;
}

/** The notice as paragraphs in reading order, a table row as its cells: what a producer is given and a reader should give back. */
export function noticeParagraphs(): Array<
  { kind: "title" | "number" | "body" | "signature" | "annex" | "annex-title"; text: string } | { kind: "table"; rows: string[][] }
> {
  const n = FIDELITY_NOTICE;
  return [
    { kind: "title", text: n.title },
    { kind: "number", text: n.docNumber },
    { kind: "body", text: n.addressee },
    { kind: "body", text: n.preamble },
    ...n.sections.flatMap((section) => [
      ...(section.heading ? [{ kind: "body" as const, text: section.heading }] : []),
      ...section.clauses.map((clause) => ({ kind: "body" as const, text: clause.label + clause.text })),
    ]),
    { kind: "signature", text: n.signatory },
    { kind: "signature", text: n.signedOn },
    { kind: "annex", text: "附件" },
    { kind: "annex-title", text: n.annex.title },
    { kind: "table", rows: n.annex.rows },
  ];
}

/** The notice's text as a reader should give it back, one paragraph (or table row) a line: what character accuracy is measured against. */
export function noticeSourceText(): string {
  return noticeParagraphs()
    .flatMap((p) => (p.kind === "table" ? p.rows.map((row) => row.join(" | ")) : [p.text]))
    .join("\n");
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The notice as a web page, in one column or two (CSS columns), justified as offices print, for Chromium to print to PDF. */
export function noticeHtml({ columns }: { columns: 1 | 2 }): string {
  const body = noticeParagraphs()
    .map((p) => {
      if (p.kind === "table") return `<table>${p.rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeXml(cell)}</td>`).join("")}</tr>`).join("")}</table>`;
      if (p.kind === "title") return `<h1>${escapeXml(p.text)}</h1>`;
      if (p.kind === "number") return `<p class="number">${escapeXml(p.text)}</p>`;
      if (p.kind === "signature") return `<p class="signature">${escapeXml(p.text)}</p>`;
      if (p.kind === "annex") return `<p class="annex">${escapeXml(p.text)}</p>`;
      if (p.kind === "annex-title") return `<h2>${escapeXml(p.text)}</h2>`;
      return `<p>${escapeXml(p.text)}</p>`;
    })
    .join("\n");
  const [head, rest] = [body.slice(0, body.indexOf("</p>") + 4), body.slice(body.indexOf("</p>") + 4)];
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeXml(FIDELITY_NOTICE.title)}</title><style>
  @page { size: A4; margin: 20mm 18mm; }
  body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", sans-serif; font-size: 12pt; line-height: 1.6; }
  h1 { font-size: 18pt; text-align: center; }
  h2 { font-size: 14pt; text-align: center; }
  p { text-align: justify; text-indent: 2em; margin: 0.3em 0; }
  p.number, p.annex { text-indent: 0; text-align: center; }
  p.annex { text-align: left; break-before: page; }
  p.signature { text-align: right; text-indent: 0; }
  .columns { column-count: ${columns}; column-gap: 10mm; }
  table { border-collapse: collapse; width: 100%; }
  td { border: 1px solid #000; padding: 2mm 3mm; }
</style></head><body>${head}<div class="columns">${rest.slice(0, rest.indexOf('<p class="annex">'))}</div>${rest.slice(rest.indexOf('<p class="annex">'))}</body></html>`;
}
