/**
 * Name material for a believable population: common surnames weighted by frequency, common
 * given-name characters, and the parts of organization and public-body names.
 */

/**
 * Surnames with their approximate share of the population in per mille (2020 household
 * registration statistics, rounded; the tail is flattened). The few compound surnames are rare.
 */
export const SURNAMES: readonly (readonly [string, number])[] = [
  ['王', 71],
  ['李', 70],
  ['张', 67],
  ['刘', 54],
  ['陈', 46],
  ['杨', 31],
  ['黄', 22],
  ['赵', 22],
  ['吴', 20],
  ['周', 19],
  ['徐', 15],
  ['孙', 15],
  ['马', 14],
  ['朱', 13],
  ['胡', 13],
  ['郭', 11],
  ['何', 11],
  ['林', 10],
  ['高', 10],
  ['罗', 9],
  ['郑', 8],
  ['梁', 8],
  ['谢', 7],
  ['宋', 6],
  ['唐', 6],
  ['许', 6],
  ['韩', 6],
  ['冯', 6],
  ['邓', 6],
  ['曹', 5],
  ['彭', 5],
  ['曾', 5],
  ['肖', 5],
  ['田', 4],
  ['董', 4],
  ['袁', 4],
  ['潘', 4],
  ['于', 4],
  ['蒋', 4],
  ['蔡', 4],
  ['余', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 3],
  ['苏', 3],
  ['魏', 3],
  ['吕', 3],
  ['丁', 3],
  ['任', 3],
  ['沈', 3],
  ['姚', 3],
  ['卢', 3],
  ['姜', 3],
  ['崔', 3],
  ['钟', 3],
  ['谭', 3],
  ['陆', 3],
  ['汪', 3],
  ['范', 3],
  ['金', 3],
  ['石', 3],
  ['廖', 3],
  ['贾', 3],
  ['夏', 2],
  ['韦', 2],
  ['付', 2],
  ['方', 2],
  ['白', 2],
  ['邹', 2],
  ['孟', 2],
  ['熊', 2],
  ['秦', 2],
  ['邱', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
  ['侯', 2],
  ['龙', 2],
  ['史', 2],
  ['陶', 1],
  ['黎', 1],
  ['贺', 1],
  ['顾', 1],
  ['毛', 1],
  ['郝', 1],
  ['龚', 1],
  ['邵', 1],
  ['万', 1],
  ['钱', 1],
  ['严', 1],
  ['覃', 1],
  ['武', 1],
  ['戴', 1],
  ['莫', 1],
  ['孔', 1],
  ['向', 1],
  ['汤', 1],
  ['欧阳', 0.3],
  ['司马', 0.05],
  ['诸葛', 0.05],
];

/** Given-name characters common for men (some are shared with women's names, as in life). */
export const MALE_GIVEN = [
  ...'伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林建国志文海峰东亮成晨博阳然轩泽睿梓晓永庆德',
  ...'福生荣春新毅彬豪诚宏振兵锋洋翔家霖瑞铭嘉',
];
export const FEMALE_GIVEN = [
  ...'芳娜敏静秀丽艳娟霞燕玲桂英兰萍红梅琳雪婷慧莉倩颖洁佳欣怡雨涵诗琪晶蕾薇月媛丹璐思嘉悦瑶梦',
  ...'淑珍凤云华玉春晓文琴宁萱妍彤璇馨若',
];

/** Short trade-name words for companies, e.g. 恒信 in 成都锦江恒信科技有限公司. */
export const BRANDS = [
  ...'恒信 华泰 鑫源 宏达 金鼎 瑞丰 盛世 永盛 嘉禾 博远 天成 中联 海纳 润达 新锐 汇通 佳美 同创 锦程 蓝海'.split(
    ' ',
  ),
  ...'优品 众诚 正邦 德润 安泰 宏图 星辰 鼎盛 合力 启航 卓越 泰和 国信 东方 九州 长城 晨光 万家 兴业 华宇'.split(
    ' ',
  ),
  ...'聚鑫 利民 福瑞 融通 创新 金桥 银河 凯旋 明珠 远航 祥和 康达 美华 普惠 信诚 通达 和泰 协力 宏远 嘉信'.split(
    ' ',
  ),
];

/** Line of business for companies. */
export const INDUSTRIES = [
  ...'科技 贸易 建筑工程 餐饮管理 物流 房地产开发 电子商务 医药 食品 机械制造 信息技术 文化传媒'.split(' '),
  ...'农业开发 物业管理 装饰工程 教育咨询 汽车销售 环保科技 新能源 服装 家具 化工 商贸 网络科技'.split(' '),
  ...'劳务 广告 旅游 酒店管理 建材 电气 生物科技 实业 投资管理 企业管理咨询'.split(' '),
];
/** Industries whose firms are paid from the medical security fund (pharmacies, clinics). */
export const MEDICAL_INDUSTRY = '医药';

export const COMPANY_SUFFIXES = [
  '有限公司',
  '有限公司',
  '有限公司',
  '有限公司',
  '有限责任公司',
  '股份有限公司',
];

/** Individual businesses: the operator's surname + 记 + the shop, e.g. 锦江区王记面馆. */
export const SHOPS = [
  ...'面馆 便利店 五金店 水果店 理发店 小吃店 烟酒店 超市 药店 餐馆 火锅店 汽车修理部 副食店 服装店'.split(
    ' ',
  ),
  ...'家电维修部 粮油店 茶馆 早餐店 文具店 干洗店 快递代办点 手机维修店'.split(' '),
];

/** Social organizations registered with civil affairs (authority 5, category 1). */
export const SOCIAL_ORGANIZATIONS = [
  ...'个体劳动者协会 餐饮行业协会 老年人体育协会 慈善会 志愿者协会 书法家协会 青年企业家商会'.split(' '),
  ...'摄影家协会 社会工作者协会 消费者协会 建筑业协会 物业管理协会 家庭教育研究会 围棋协会'.split(' '),
];

/** Government organs at county level (authority 1, category 1). */
export const GOVERNMENT_ORGANS = [
  ...'人民政府办公室 市场监督管理局 教育局 财政局 住房和城乡建设局 交通运输局 卫生健康局 民政局'.split(' '),
  ...'人力资源和社会保障局 生态环境局 规划和自然资源局 农业农村局 文化广电旅游局 应急管理局'.split(' '),
  ...'城市管理局 医疗保障局 退役军人事务局 行政审批局 水务局 商务局 统计局 司法局'.split(' '),
];

/** Public institutions (authority 1, category 2); `hospital`/`school` mark where professionals work. */
export const PUBLIC_INSTITUTIONS: readonly (readonly [
  name: string,
  kind: 'hospital' | 'school' | 'other',
])[] = [
  ['第一人民医院', 'hospital'],
  ['第二人民医院', 'hospital'],
  ['中医医院', 'hospital'],
  ['妇幼保健院', 'hospital'],
  ['实验小学', 'school'],
  ['第一中学', 'school'],
  ['第二中学', 'school'],
  ['第三中学', 'school'],
  ['实验中学', 'school'],
  ['第二小学', 'school'],
  ['职业中学', 'school'],
  ['实验幼儿园', 'school'],
  ['图书馆', 'other'],
  ['疾病预防控制中心', 'other'],
  ['社会福利院', 'other'],
  ['档案馆', 'other'],
];
