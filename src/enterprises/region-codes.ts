/**
 * Administrative divisions (行政区划代码, GB/T 2260): six digits, two for the province, two for the
 * city (prefecture), two for the county or district. A compact table: every province-level
 * division, and the cities and districts the demo and the simulator register firms in
 * (src/data/simulated-firm.ts `SIMULATED_REGIONS`). A code not in the table still passes
 * `parseRegionCode` when its province exists; reports then show its province by name and the code.
 */

export interface RegionName {
  readonly zh: string;
  readonly en: string;
}

/** Province-level divisions, by their two-digit prefix. */
export const PROVINCE_NAMES: Readonly<Record<string, RegionName>> = {
  '11': { zh: '北京市', en: 'Beijing' }, '12': { zh: '天津市', en: 'Tianjin' }, '13': { zh: '河北省', en: 'Hebei' },
  '14': { zh: '山西省', en: 'Shanxi' }, '15': { zh: '内蒙古自治区', en: 'Inner Mongolia' }, '21': { zh: '辽宁省', en: 'Liaoning' },
  '22': { zh: '吉林省', en: 'Jilin' }, '23': { zh: '黑龙江省', en: 'Heilongjiang' }, '31': { zh: '上海市', en: 'Shanghai' },
  '32': { zh: '江苏省', en: 'Jiangsu' }, '33': { zh: '浙江省', en: 'Zhejiang' }, '34': { zh: '安徽省', en: 'Anhui' },
  '35': { zh: '福建省', en: 'Fujian' }, '36': { zh: '江西省', en: 'Jiangxi' }, '37': { zh: '山东省', en: 'Shandong' },
  '41': { zh: '河南省', en: 'Henan' }, '42': { zh: '湖北省', en: 'Hubei' }, '43': { zh: '湖南省', en: 'Hunan' },
  '44': { zh: '广东省', en: 'Guangdong' }, '45': { zh: '广西壮族自治区', en: 'Guangxi' }, '46': { zh: '海南省', en: 'Hainan' },
  '50': { zh: '重庆市', en: 'Chongqing' }, '51': { zh: '四川省', en: 'Sichuan' }, '52': { zh: '贵州省', en: 'Guizhou' },
  '53': { zh: '云南省', en: 'Yunnan' }, '54': { zh: '西藏自治区', en: 'Tibet' }, '61': { zh: '陕西省', en: 'Shaanxi' },
  '62': { zh: '甘肃省', en: 'Gansu' }, '63': { zh: '青海省', en: 'Qinghai' }, '64': { zh: '宁夏回族自治区', en: 'Ningxia' },
  '65': { zh: '新疆维吾尔自治区', en: 'Xinjiang' }, '71': { zh: '台湾省', en: 'Taiwan' }, '81': { zh: '香港特别行政区', en: 'Hong Kong' },
  '82': { zh: '澳门特别行政区', en: 'Macao' },
};

/**
 * Prefecture-level cities by their four-digit prefix. For the four municipalities the city level
 * is the code's 市辖区 (0100), named here after the municipality.
 */
export const CITY_NAMES: Readonly<Record<string, RegionName>> = {
  '1101': { zh: '北京市', en: 'Beijing' }, '1201': { zh: '天津市', en: 'Tianjin' }, '3101': { zh: '上海市', en: 'Shanghai' },
  '5001': { zh: '重庆市', en: 'Chongqing' }, '3301': { zh: '杭州市', en: 'Hangzhou' }, '3302': { zh: '宁波市', en: 'Ningbo' },
  '3303': { zh: '温州市', en: 'Wenzhou' }, '3205': { zh: '苏州市', en: 'Suzhou' }, '4401': { zh: '广州市', en: 'Guangzhou' },
  '4403': { zh: '深圳市', en: 'Shenzhen' }, '3502': { zh: '厦门市', en: 'Xiamen' }, '3702': { zh: '青岛市', en: 'Qingdao' },
  '4201': { zh: '武汉市', en: 'Wuhan' }, '5101': { zh: '成都市', en: 'Chengdu' }, '6101': { zh: '西安市', en: "Xi'an" },
  '4101': { zh: '郑州市', en: 'Zhengzhou' }, '4301': { zh: '长沙市', en: 'Changsha' },
};

/** Counties and districts the demo uses, by their six-digit code. */
export const COUNTY_NAMES: Readonly<Record<string, RegionName>> = {
  '330106': { zh: '西湖区', en: 'Xihu District' }, '330203': { zh: '海曙区', en: 'Haishu District' }, '330302': { zh: '鹿城区', en: 'Lucheng District' },
  '320506': { zh: '吴中区', en: 'Wuzhong District' }, '440305': { zh: '南山区', en: 'Nanshan District' }, '440106': { zh: '天河区', en: 'Tianhe District' },
  '350203': { zh: '思明区', en: 'Siming District' }, '370202': { zh: '市南区', en: 'Shinan District' }, '310115': { zh: '浦东新区', en: 'Pudong New Area' },
  '110105': { zh: '朝阳区', en: 'Chaoyang District' }, '420106': { zh: '武昌区', en: 'Wuchang District' }, '510107': { zh: '武侯区', en: 'Wuhou District' },
  '500103': { zh: '渝中区', en: 'Yuzhong District' }, '610113': { zh: '雁塔区', en: 'Yanta District' }, '410105': { zh: '金水区', en: 'Jinshui District' },
  '430104': { zh: '岳麓区', en: 'Yuelu District' },
};

/** A region code's three levels, each with its code and names (names null when not in the table). */
export interface RegionLevels {
  readonly province: { readonly code: string; readonly name: RegionName | null };
  readonly city: { readonly code: string; readonly name: RegionName | null };
  readonly county: { readonly code: string; readonly name: RegionName | null };
}

/**
 * The province, city and county of a six-digit code.
 *
 * @example
 * regionLevels('330106').city; // { code: '330100', name: { zh: '杭州市', en: 'Hangzhou' } }
 */
export function regionLevels(code: string): RegionLevels {
  return {
    province: { code: `${code.slice(0, 2)}0000`, name: PROVINCE_NAMES[code.slice(0, 2)] ?? null },
    city: { code: `${code.slice(0, 4)}00`, name: CITY_NAMES[code.slice(0, 4)] ?? null },
    county: { code, name: COUNTY_NAMES[code] ?? null },
  };
}

/**
 * A region code's name at its own level: a province code (xx0000), a city code (xxxx00) or a
 * county; null when the table has none.
 *
 * @example
 * regionName('330000'); // { zh: '浙江省', en: 'Zhejiang' }
 */
export function regionName(code: string): RegionName | null {
  if (!/^\d{6}$/.test(code)) return null;
  if (code.endsWith('0000')) return PROVINCE_NAMES[code.slice(0, 2)] ?? null;
  if (code.endsWith('00')) return CITY_NAMES[code.slice(0, 4)] ?? null;
  return COUNTY_NAMES[code] ?? null;
}

/** The full name of a county code, province to county: '浙江省杭州市西湖区'; the municipality written once. */
export function regionFullName(code: string, language: 'zh' | 'en' = 'zh'): string {
  const levels = regionLevels(code);
  const parts = [levels.province.name, levels.city.name, levels.county.name].map((name) => name?.[language] ?? null);
  const unique = parts.filter((part, index) => part !== null && parts.indexOf(part) === index) as string[];
  return unique.length === 0 ? code : unique.join(language === 'zh' ? '' : ', ');
}
