import { describe, expect, it } from "vitest";
import { buildCallbackXml, parseCallbackXml, XmlError } from "./xml.js";

describe("callback XML", () => {
  it("reads CDATA literally and bare fields as strings, keeping a 64-bit MsgId exact", () => {
    const fields = parseCallbackXml(
      "<xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1348831860</CreateTime><Content><![CDATA[ 检测费 <b>&amp; ]]></Content><MsgId>24123456789012345679</MsgId></xml>",
    );
    expect(fields).toEqual({ ToUserName: "gh_1", CreateTime: "1348831860", Content: " 检测费 <b>&amp; ", MsgId: "24123456789012345679" });
  });

  it("refuses a document type (entity expansion), a missing root and text that is not XML", () => {
    expect(() => parseCallbackXml('<!DOCTYPE xml [<!ENTITY a "x">]><xml><Content>&a;</Content></xml>')).toThrow(XmlError);
    expect(() => parseCallbackXml("<other><Content>x</Content></other>")).toThrow(/root/);
    expect(() => parseCallbackXml("")).toThrow(XmlError);
  });

  it("writes strings in CDATA that survive a ']]>' inside, and numbers bare", () => {
    const xml = buildCallbackXml({ Content: "a]]>b<c>&", CreateTime: 12 });
    expect(xml).toContain("<CreateTime>12</CreateTime>");
    expect(parseCallbackXml(xml)).toEqual({ Content: "a]]>b<c>&", CreateTime: "12" });
  });
});
