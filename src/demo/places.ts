/**
 * Places for the demo population: the county-level divisions of the identity reference list, with
 * the name forms that organization names, court case numbers and document references use.
 */
import { DIVISIONS } from '../identity/index.ts';

/** One-character province abbreviations used in court case numbers, e.g. (2023)川0104执1234号. */
const PROVINCE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  '11': '京',
  '12': '津',
  '13': '冀',
  '14': '晋',
  '15': '蒙',
  '21': '辽',
  '22': '吉',
  '23': '黑',
  '31': '沪',
  '32': '苏',
  '33': '浙',
  '34': '皖',
  '35': '闽',
  '36': '赣',
  '37': '鲁',
  '41': '豫',
  '42': '鄂',
  '43': '湘',
  '44': '粤',
  '45': '桂',
  '46': '琼',
  '50': '渝',
  '51': '川',
  '52': '贵',
  '53': '云',
  '54': '藏',
  '61': '陕',
  '62': '甘',
  '63': '青',
  '64': '宁',
  '65': '新',
};

export interface Place {
  /** GB/T 2260 code, e.g. `510104`. */
  code: string;
  /** Two-digit province prefix as a number, for grouping. */
  province: number;
  /** `四川省成都市锦江区` */
  fullName: string;
  /** How local bodies are named: `成都市锦江区`, `北京市朝阳区`, `登封市`. */
  official: string;
  /** Short form for trade names: `成都锦江`, `北京朝阳`. */
  tradeShort: string;
  /** City only, for trade names that omit the county: `成都`. */
  cityShort: string;
  /** County short form, for document prefixes: `锦江`. */
  countyShort: string;
  /** Court designation in case numbers: `川0104`. */
  court: string;
}

const stripSuffix = (name: string, suffixes: string): string =>
  name.length > 2 && suffixes.includes(name[name.length - 1]!) ? name.slice(0, -1) : name;

const shortCounty = (county: string): string =>
  // 大通回族土族自治县 → 大通, 管城回族区 → 管城: ethnic designations drop out of the short form
  county.includes('族') || county.includes('自治') ? county.slice(0, 2) : stripSuffix(county, '区县市旗');

const toPlace = (code: string, fullName: string, province: string): Place | undefined => {
  const rest = fullName.slice(province.length);
  // Province-level entries only (Taiwan, Hong Kong, Macao) cannot register a local body.
  if (rest === '' || code.endsWith('0000')) return undefined;
  const abbreviation = PROVINCE_ABBREVIATIONS[code.slice(0, 2)];
  if (abbreviation === undefined) return undefined;
  // Municipalities have no prefecture; elsewhere a prefecture-level name ends in 市, 盟, 地区 or 自治州.
  const m = province.endsWith('市') ? null : /^(.+?(?:市|盟|地区|自治州))(.+)$/.exec(rest);
  const city = m ? m[1]! : province.endsWith('市') ? province : '';
  const county = m ? m[2]! : rest;
  const cityShort = city === '' ? shortCounty(county) : stripSuffix(city, '市州盟');
  const countyShort = shortCounty(county);
  return {
    code,
    province: Number(code.slice(0, 2)),
    fullName,
    official: county.endsWith('市') || city === '' ? county : city + county,
    tradeShort: city === '' ? countyShort : cityShort + countyShort,
    cityShort,
    countyShort,
    court: abbreviation + code.slice(2),
  };
};

/** Every usable county-level division, in reference-list order. */
export const PLACES: readonly Place[] = DIVISIONS.flatMap((d) => toPlace(d.code, d.name, d.province) ?? []);
