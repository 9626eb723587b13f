import type { KnowledgeBase } from "../search/knowledge-base.js";
import { classifiedMeasures } from "./classified.js";

export interface BeneficiaryCoverage {
  measures: number;
  /** Internal government tasks: no beneficiary by design. */
  internal: number;
  /** Measures that give something, but for which no beneficiary was found: the vocabulary's gaps. */
  withoutBeneficiary: number;
  withoutBeneficiaryIds: string[];
}

/** How many measures the classifier could not tell who they are for; `npm run eval` prints it. */
export function beneficiaryCoverage(knowledgeBase: KnowledgeBase): BeneficiaryCoverage {
  const classified = classifiedMeasures(knowledgeBase);
  const internal = [...classified.values()].filter((c) => c.benefitKind === "internal").length;
  const withoutBeneficiaryIds = [...classified].filter(([, c]) => c.benefitKind !== "internal" && c.beneficiaries.length === 0).map(([id]) => id);
  return { measures: classified.size, internal, withoutBeneficiary: withoutBeneficiaryIds.length, withoutBeneficiaryIds };
}

/** One line for the eval report. */
export function coverageLine(coverage: BeneficiaryCoverage): string {
  return `政策匹配：${coverage.measures} 条措施中 ${coverage.withoutBeneficiary} 条未找到适用对象（另有 ${coverage.internal} 条为政府内部工作）`;
}
