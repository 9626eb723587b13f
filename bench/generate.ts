import gazetteer from "../src/corpus/regions.json" with { type: "json" };

/** A province re-issuing the seed documents, with two of its cities standing in for 克拉玛依 and 哈密. */
export interface Issue {
  province: string;
  provinceShort: string;
  cityA: string;
  cityB: string;
  copy: number;
}

const strip = (city: string) => city.replace(/(市|地区|回族自治州|白族自治州|蒙古自治州|柯尔克孜自治州|哈萨克自治州)$/, "");

/** Provinces with two cities or more, in gazetteer order, Xinjiang (the seed itself) left out. */
export function issuers(): Array<Omit<Issue, "copy">> {
  return gazetteer.provinces
    .filter((p) => p.cities.length >= 2 && p.name !== "新疆维吾尔自治区")
    .flatMap((p) => {
      const pairs: Array<Omit<Issue, "copy">> = [];
      for (let i = 0; i + 1 < p.cities.length; i += 2)
        pairs.push({ province: p.name, provinceShort: p.aliases[0], cityA: p.cities[i].name, cityB: p.cities[i + 1].name });
      return pairs;
    });
}

/**
 * Re-issues the seed compilation for another province and two of its cities:
 * names, issuers, 文号 and dates changed, some figures reworded, and the last
 * measure of some documents dropped — in the seed's own text format, so the
 * real parser reads it.
 */
export function reissue(seed: string, issue: Issue): string {
  const { province, provinceShort, cityA, cityB, copy } = issue;
  const a = strip(cityA);
  const b = strip(cityB);
  const code = provinceShort.slice(0, 1);
  let text = seed
    .replace(/（五）新疆/g, `（五）${provinceShort}`)
    .replace(/新疆维吾尔自治区/g, province)
    .replace(/新疆自治区/g, province)
    .replace(/新疆生产建设兵团/g, `${provinceShort}有关单位`)
    .replace(/新疆/g, provinceShort)
    .replace(/全疆/g, "全省")
    .replace(/自治区/g, "省")
    .replace(/克拉玛依/g, a)
    .replace(/哈密/g, b)
    .replace(/新政办发〔2023〕5 号/g, `${code}政办发〔2023〕${5 + copy} 号`)
    .replace(/新市监机〔2023〕83 号/g, `${code}市监机〔2023〕${83 + copy} 号`)
    .replace(/哈政办发〔2023〕14 号/g, `${b.slice(0, 1)}政办发〔2023〕${14 + copy} 号`)
    .replace(/（2023 年(\d+)\s*月(\d+)\s*日）/g, (_, m: string, d: string) => `（2023 年${m}月${Math.min(28, Number(d) + (copy % 5))}日）`);
  // Reword: every third copy changes the relief percentages it grants.
  if (copy % 3 === 1) text = text.replace(/减免30%/g, "减免35%").replace(/下浮10%/g, "下浮15%");
  // Drop: every fourth copy leaves out the last task of the city work plan.
  if (copy % 4 === 2) text = text.replace(/\n71\. 2022 年3 月前[\s\S]*?(?=\n四、工作要求)/, "");
  return text;
}

/** The issues needed for about `measures` measures at ~180 a copy. */
export function plan(measures: number): Issue[] {
  const all = issuers();
  const copies = Math.max(0, Math.round(measures / 180) - 1);
  return Array.from({ length: copies }, (_, i) => ({ ...all[i % all.length], copy: Math.floor(i / all.length) + 1 + i }));
}

/** Questions that name a place, with the region the first citation must come from. */
export function regionQuestions(issues: Issue[], limit = 40): Array<{ question: string; region: string; phrase: string }> {
  const out: Array<{ question: string; region: string; phrase: string }> = [];
  for (const issue of issues.slice(0, limit / 4)) {
    out.push({ question: `在${strip(issue.cityA)}，二手房水电气暖能联合过户吗？`, region: issue.cityA, phrase: "二手房水电气暖联合过户" });
    out.push({ question: `${issue.cityB}居民用非电网直供电的电价是多少？`, region: issue.cityB, phrase: "非电网直供电" });
    out.push({ question: `在${issue.provinceShort}，特种设备定期检测费用有优惠吗？`, region: issue.province, phrase: "特种设备检验研究院" });
    out.push({ question: `${issue.cityA}养老保险关系转移要多少个工作日？`, region: issue.cityA, phrase: "养老保险转移" });
  }
  out.push(
    { question: "在克拉玛依，二手房水电气暖能联合过户吗？", region: "克拉玛依市", phrase: "二手房水电气暖联合过户" },
    { question: "哈密市居民用非电网直供电的电价是多少？", region: "哈密市", phrase: "非电网直供电" },
    { question: "新疆特种设备定期检测费用有优惠吗？", region: "新疆维吾尔自治区", phrase: "特种设备检验研究院" },
  );
  return out;
}
