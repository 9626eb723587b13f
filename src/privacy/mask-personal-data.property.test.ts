import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldDigits } from "./fold-digits.js";
import { maskPersonalData } from "./mask-personal-data.js";

const digit = (from = 0) => fc.integer({ min: from, max: 9 }).map(String);
const digits = (length: number) => fc.array(digit(), { minLength: length, maxLength: length }).map((d) => d.join(""));

const mobile = fc.tuple(digit(3), digits(9)).map(([second, rest]) => `1${second}${rest}`);
const idCard = fc
  .tuple(
    digit(1),
    digits(5),
    fc.integer({ min: 1950, max: 2010 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    digits(3),
    fc.constantFrom(..."0123456789X"),
  )
  .map(
    ([first, area, year, month, day, sequence, check]) =>
      `${first}${area}${year}${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}${sequence}${check}`,
  );
const bankCard = fc
  .tuple(fc.integer({ min: 16, max: 19 }), fc.constantFrom("62", "4", "5"))
  .chain(([length, prefix]) => digits(length - prefix.length).map((rest) => prefix + rest));

const HAN = ["零〇洞", "一幺壹", "二两贰", "三叁", "四肆", "五伍", "六陆", "七柒拐", "八捌", "九玖勾"];
const INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"];

/** One number written in one of the forms people use to slip it past a filter. */
const written = (number: string) =>
  fc.oneof(
    fc.constant({ form: "plain", text: number }),
    fc.constant({ form: "full-width", text: [...number].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join("") }),
    fc
      .array(fc.constantFrom(...INVISIBLE), { minLength: number.length - 1, maxLength: number.length - 1 })
      .map((marks) => ({ form: "invisible", text: [...number].map((c, i) => c + (marks[i] ?? "")).join("") })),
    fc.array(fc.nat(), { minLength: number.length, maxLength: number.length }).map((picks) => ({
      form: "han",
      text: [...number].map((c, i) => (c === "X" ? c : [...HAN[Number(c)]][picks[i] % [...HAN[Number(c)]].length])).join(""),
    })),
  );

const around = fc.tuple(fc.constantFrom("", "我的号码是", "请回电：", "联系人张三，", "卡号"), fc.constantFrom("", "，谢谢", " 能办吗？", "。"));

describe("maskPersonalData over generated numbers", () => {
  for (const [kind, numbers] of [
    ["mobile", mobile],
    ["ID card", idCard],
    ["bank card", bankCard],
  ] as const) {
    it(`masks a ${kind} number in every written form`, () => {
      fc.assert(
        fc.property(
          numbers.chain((n) => written(n).map((w) => ({ number: n, ...w }))),
          around,
          ({ number, text }, [before, after]) => {
            const masked = maskPersonalData(before + text + after);
            // Nothing of the number is left in any spelling, and a label stands where it was.
            expect(foldDigits(masked).folded).not.toContain(number.replace(/X$/, ""));
            expect(masked).toMatch(/\[(身份证号|银行卡号|手机号|电话)\]/);
            expect(masked.startsWith(before) && masked.endsWith(after)).toBe(true);
          },
        ),
        { numRuns: 300 },
      );
    });
  }
});
