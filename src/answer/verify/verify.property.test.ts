import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyAnswer } from "../verify.js";
import { arabicIndic, english, financial, fraction, fullWidth, han, hanDigits } from "./__fixtures__/spell.js";

// The one clause the answers cite. It states 30%, 1500元, 30万元 and the dates; nothing else.
const CLAUSE =
  "对中小微企业减免30%的检验检测费用；对吸纳高校毕业生的小微企业，按每人1500元给予一次性补贴，每户最高不超过30万元；实施期限为2023年5月1日至2023年8月31日。";
const clauses = new Map([[1, CLAUSE]]);
const verify = (answer: string) => verifyAnswer({ answer, clauses, supplied: "今天的日期：2026年11月27日" });
const STATED_PERCENT = 30;
const STATED_YUAN = [1500, 300_000];

/** Every way to write a share of n%: 90%, ９０％, 百分之九十, 玖拾%, 九成, 十分之九, 9/10, ninety percent… */
function percentForms(n: number): string[] {
  const [part, whole] = fraction(n);
  const forms = [
    `${n}%`,
    fullWidth(`${n}%`),
    arabicIndic(`${n}%`),
    `百分之${n}`,
    `百分之${han(n)}`,
    `百分之${financial(n)}`,
    `${han(n)}%`,
    `${financial(n)}%`,
    `${han(whole)}分之${han(part)}`,
    `${part}/${whole}`,
    `${english(n)} percent`,
    `${n} per cent`,
  ];
  if (n % 10 === 0) forms.push(`${han(n / 10)}成`, `${n / 10}成`, `${financial(n / 10)}成`);
  if (n === 50) forms.push("一半", "减半", "半价");
  return forms;
}

/** Every way to write n元: 20000元, 两万元, 贰万元, 2万元, 20,000元, twenty thousand yuan… */
function yuanForms(n: number): string[] {
  const forms = [`${n}元`, fullWidth(`${n}元`), `${han(n)}元`, `${financial(n)}元`, `${n.toLocaleString("en-US")}元`, `${english(n)} yuan`, `${english(n)}元`];
  if (n % 10_000 === 0) forms.push(`${n / 10_000}万元`, `${han(n / 10_000)}万元`, `${financial(n / 10_000)}万元`);
  return forms;
}

/** Figures a clause never states in any unit: 百分点, 折 (what is paid), and a range of 万元. */
function otherForms(n: number): string[] {
  return [`${han(n)}个百分点`, `${n}个百分点`, `${han(Math.max(1, n % 10))}折`, `${n}-${n + 5}万元`, `${han(n)}至${han(n + 5)}万元`];
}

const invented = fc.integer({ min: 1, max: 99 }).filter((n) => n !== STATED_PERCENT);
const inventedYuan = fc
  .oneof(
    fc.integer({ min: 1, max: 99_999 }),
    fc.integer({ min: 1, max: 999 }).map((n) => n * 10_000),
  )
  .filter((n) => !STATED_YUAN.includes(n));
const pick = <T>(forms: (n: number) => T[]) => fc.integer({ min: 0, max: 1000 }).map((i) => (n: number) => forms(n)[i % forms(n).length]);

describe("the verifier is an allow-list: invented figures fail in every form", () => {
  it("rejects a share the clause does not state, however it is written", () => {
    fc.assert(
      fc.property(invented, pick(percentForms), (n, form) => {
        const answer = `对中小微企业可减免${form(n)}的检验检测费用[1]。`;
        expect(verify(answer).ok, answer).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it("rejects an amount the clause does not state, however it is written", () => {
    fc.assert(
      fc.property(inventedYuan, pick(yuanForms), (n, form) => {
        const answer = `按每人${form(n)}给予一次性补贴[1]。`;
        expect(verify(answer).ok, answer).toBe(false);
      }),
      { numRuns: 1500 },
    );
  });

  it("rejects 百分点, 折 and ranges the clause does not state", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99 }), pick(otherForms), (n, form) => {
        const answer = `检验检测费用可下调${form(n)}[1]。`;
        expect(verify(answer).ok, answer).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it("rejects a number to call or an account, in any digits and spacing", () => {
    const digits = fc.stringMatching(/^1[3-9]\d{9}$|^0\d{2,3}\d{7,8}$|^\d{5,12}$/);
    const spellings = [
      (d: string) => d,
      (d: string) => hanDigits(d),
      (d: string) => fullWidth(d),
      (d: string) => d.replace(/(\d{3})(\d{4})(\d+)/, "$1-$2-$3"),
      (d: string) => d.replace(/(\d{3})(\d{4})(\d+)/, "$1 $2 $3"),
      (d: string) => hanDigits(d).replace(/(.{3})(.{4})(.+)/, "$1-$2-$3"),
    ];
    fc.assert(
      fc.property(digits, fc.constantFrom(...spellings), (number, spell) => {
        const answer = `详情请致电${spell(number)}咨询[1]。`;
        expect(verify(answer).ok, answer).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it("rejects a handle, a domain in any spelling of its dot, and an address", () => {
    const name = fc.stringMatching(/^[a-z]{3,10}\d{0,4}$/);
    const shapes = [
      (n: string) => `请加微信 ${n} 办理`,
      (n: string) => `请访问 ${n}.com 办理`,
      (n: string) => `请访问 ${n}[.]cn 办理`,
      (n: string) => `请访问 ${n}点com 办理`,
      (n: string) => `请访问 ${n}(dot)net 办理`,
      (n: string) => `请访问 ${n}.中国 办理`,
      (n: string) => `请访问 https://${n}.gov.cn/apply 办理`,
      (n: string) => `材料发送至 ${n}@qq.com 即可`,
      (n: string) => `材料发送至 ${n}[at]163.com 即可`,
    ];
    fc.assert(
      fc.property(name, fc.constantFrom(...shapes), (handle, shape) => {
        const answer = `${shape(handle)}[1]。`;
        expect(verify(answer).ok, answer).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("…and figures the clause does state pass in every form", () => {
  it("passes 30% however it is restated", () => {
    fc.assert(
      fc.property(pick(percentForms), (form) => {
        const answer = `对中小微企业可减免${form(STATED_PERCENT)}的检验检测费用[1]。`;
        expect(verify(answer).problems, answer).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("passes 1500元 and 30万元 however they are restated", () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATED_YUAN), pick(yuanForms), (n, form) => {
        const answer = `补贴标准为${form(n)}[1]。`;
        expect(verify(answer).problems, answer).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("passes the clause's dates in any script", () => {
    for (const date of ["2023年5月1日", "二〇二三年五月一日", "２０２３年５月１日", "2023-05-01", "2023年05月01日"]) {
      expect(verify(`自${date}起实施[1]。`).problems, date).toEqual([]);
    }
  });
});
