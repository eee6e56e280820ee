/**
 * Traditional Chinese characters as their Simplified forms, for keying comments only (a campaign
 * writing the same text in Traditional characters is the same text): the characters that differ
 * among the few thousand most used in everyday writing and in comments on a service. Not a
 * converter (OpenCC keeps phrase tables for the ambiguous ones: 乾 is 干 or 乾, 著 着 or 著): both
 * texts compared are mapped alike, so a character mapped one way throughout still matches.
 */
const TRADITIONAL =
  '醫師態說話們務員時間診療藥檢專業讓對這個裡來後還沒給問題經過應該麼為樣點長開關門' +
  '號錢費買賣東車電視機會學習見現實當發無與從雙邊聽總難離傳極壞騙罵謝請讀寫頭臉親愛' +
  '歡熱禮氣辦處結約預掛隊鐘兩幾櫃臺護術貴價錯誤認識負責隨規範準確細緻週盡職質滿惡紅' +
  '賄賂嗎覺樂簡單體驗環衛乾淨髒亂陽樓層廳場區銀貸帳戶網線語聲響讚薦絕錄證據構廠產權' +
  '標僅將誰憑蓋簽類項條紀許計設訴詢諮議記講談論調導歲兒孫媽爺婦濟腦腸膽膚臟齒針輸報' +
  '險補償賠虧賬鄰縣級鄉鎮農園圖書館紙筆郵遞運輛駛駕勢擔憂慮驚嚇憤煩悶懶鬆緊張慣續斷' +
  '陳舊壓屬際隻雜顧誠懇註脅騷擾揚獎勵邁進遠遲達選適違遺錶鐵鋪飯飲麵雞魚鳥馬龍龜蟲豬' +
  '貓風雲燈爐煙燒觀歷曆華麗豐廣慶優勞動勁勝夠嚴厲厭剛則創劃劇劑勸協卻參變雖嘗團圍堅' +
  '壯壽夢奪寧寶尋屆島峽帶幫廢彈彎徑復徵憲戰撐擇擊擁擴敵斃暫曉棄榮槍樹橋檔歸殘殺毀決' +
  '況減測湧滅漢潔濃灣災燦爭獨獲畫異盤眾睏矯礙祕禍穩窮競築糧糾紛紹統絲綠維練織繫罰聯' +
  '聰肅脫興舉艱莊著葉蘭虛裝複覽訂訓評試詳誕誘課諾謀謊譯豈貝財貧貨販貪貫貼貿資賓賞賽' +
  '贈趕趨跡踐蹤輕較載輔輩轉辭逕連遊遙鄭醜釋鈔銷鋼鍵鎖鏡鑑閃閉閒閱闆闖陣陰陸靈靜頁順' +
  '須頓領頻顆額顏願顯飛飽餘饒驕髮鬥鬧鮮鳴麥黃齊';
const SIMPLIFIED =
  '医师态说话们务员时间诊疗药检专业让对这个里来后还没给问题经过应该么为样点长开关门' +
  '号钱费买卖东车电视机会学习见现实当发无与从双边听总难离传极坏骗骂谢请读写头脸亲爱' +
  '欢热礼气办处结约预挂队钟两几柜台护术贵价错误认识负责随规范准确细致周尽职质满恶红' +
  '贿赂吗觉乐简单体验环卫干净脏乱阳楼层厅场区银贷账户网线语声响赞荐绝录证据构厂产权' +
  '标仅将谁凭盖签类项条纪许计设诉询咨议记讲谈论调导岁儿孙妈爷妇济脑肠胆肤脏齿针输报' +
  '险补偿赔亏账邻县级乡镇农园图书馆纸笔邮递运辆驶驾势担忧虑惊吓愤烦闷懒松紧张惯续断' +
  '陈旧压属际只杂顾诚恳注胁骚扰扬奖励迈进远迟达选适违遗表铁铺饭饮面鸡鱼鸟马龙龟虫猪' +
  '猫风云灯炉烟烧观历历华丽丰广庆优劳动劲胜够严厉厌刚则创划剧剂劝协却参变虽尝团围坚' +
  '壮寿梦夺宁宝寻届岛峡带帮废弹弯径复征宪战撑择击拥扩敌毙暂晓弃荣枪树桥档归残杀毁决' +
  '况减测涌灭汉洁浓湾灾灿争独获画异盘众困矫碍秘祸稳穷竞筑粮纠纷绍统丝绿维练织系罚联' +
  '聪肃脱兴举艰庄着叶兰虚装复览订训评试详诞诱课诺谋谎译岂贝财贫货贩贪贯贴贸资宾赏赛' +
  '赠赶趋迹践踪轻较载辅辈转辞迳连游遥郑丑释钞销钢键锁镜鉴闪闭闲阅板闯阵阴陆灵静页顺' +
  '须顿领频颗额颜愿显飞饱余饶骄发斗闹鲜鸣麦黄齐';

const TO_SIMPLIFIED: ReadonlyMap<string, string> = new Map(
  Array.from(TRADITIONAL, (t, i) => [t, SIMPLIFIED[i]!] as const),
);

/** Whether a text may hold a Traditional character (CJK ideographs): most comments have none. */
const HAN = /[\u4e00-\u9fff]/;

/** A text with the Traditional characters of the table as their Simplified forms. */
export const toSimplified = (text: string): string => {
  if (!HAN.test(text)) return text;
  let out = '';
  for (const c of text) out += TO_SIMPLIFIED.get(c) ?? c;
  return out;
};
