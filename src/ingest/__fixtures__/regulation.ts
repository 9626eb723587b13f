/**
 * A regulation the project wrote for the tests (not a real one): 章 and 条,
 * items （一）（二） inside an article, an 附件 with its own numbering, and
 * facts found nowhere in the seed, so an answer can only come from it.
 */
export const REGULATION_TITLE = "昌吉市小微企业首贷贴息管理办法";

export function regulationPages(): string[][] {
  return [
    [
      REGULATION_TITLE,
      "昌市政办发〔2024〕7号",
      "第一章 总则",
      "第一条 为缓解小微企业融资难题，降低首次贷款成本，制定本办法。",
      "第二条 本办法适用于在昌吉市登记注册的小微企业和个体工商户。",
      "第二章 贴息标准",
      "第三条 小微企业首次从银行取得流动资金贷款的，按贷款市场报价利率的50%给予贴息，",
      "每户每年贴息最高不超过8万元。",
      "第四条 申请首贷贴息应当提交下列材料：",
      "（一）首贷贴息申请表；",
      "（二）借款合同和利息支付凭证。",
    ],
    [
      "第五条 市财政局自受理申请之日起15个工作日内完成审核并拨付贴息资金。",
      "牵头单位：市财政局",
      "第三章 附则",
      "第六条 本办法自2024年3月1日起施行，有效期至2026年2月28日。",
      "昌吉市人民政府办公室",
      "2024年2月20日",
      "附件",
      "首贷贴息申请流程",
      "一、企业在线提交申请。",
      "二、银行核实贷款信息。",
    ],
  ];
}

/** A notice the project wrote for the tests, over two pages (a Word file's page break between them). */
export const NOTICE_TITLE = "哈密市关于阶段性减免个体工商户房屋租金的通知";

export function noticePages(): string[][] {
  return [
    [
      NOTICE_TITLE,
      "哈政办发〔2024〕21号",
      "各区县人民政府，市直各部门：",
      "为帮助个体工商户渡过难关，经市人民政府同意，现就阶段性减免房屋租金有关事项通知如下。",
      "一、减免对象。承租市属国有企业经营性房产的个体工商户。",
    ],
    [
      "二、减免标准。对符合条件的个体工商户免收6个月房屋租金。",
      "三、办理方式。由出租的国有企业主动对接承租户，无需个体工商户申请。",
      "牵头单位：市国资委",
      "哈密市人民政府办公室",
      "2024年4月8日",
    ],
  ];
}
