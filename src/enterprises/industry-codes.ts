/**
 * Industries by the national classification GB/T 4754-2017 (国民经济行业分类): 20 sections (门类,
 * a letter A–T) and 97 divisions (大类, two digits), with their names. A registry code is the
 * section letter and the division, 'C34' (通用设备制造业). Each division maps to its industry group
 * of the 2011 size standard (`size-standard.ts`), so a code is enough to classify size.
 */
import { ValidationError } from '../errors.js';
import type { IndustryCode } from './size-standard.js';

export interface IndustryName {
  readonly zh: string;
  readonly en: string;
}

/** The sections, in the standard's order. */
export const INDUSTRY_SECTIONS: Readonly<Record<string, IndustryName>> = {
  A: { zh: '农、林、牧、渔业', en: 'Agriculture, forestry, animal husbandry and fishery' },
  B: { zh: '采矿业', en: 'Mining' },
  C: { zh: '制造业', en: 'Manufacturing' },
  D: { zh: '电力、热力、燃气及水生产和供应业', en: 'Electricity, heat, gas and water' },
  E: { zh: '建筑业', en: 'Construction' },
  F: { zh: '批发和零售业', en: 'Wholesale and retail trade' },
  G: { zh: '交通运输、仓储和邮政业', en: 'Transport, storage and post' },
  H: { zh: '住宿和餐饮业', en: 'Accommodation and catering' },
  I: { zh: '信息传输、软件和信息技术服务业', en: 'Information transmission, software and IT services' },
  J: { zh: '金融业', en: 'Finance' },
  K: { zh: '房地产业', en: 'Real estate' },
  L: { zh: '租赁和商务服务业', en: 'Leasing and business services' },
  M: { zh: '科学研究和技术服务业', en: 'Scientific research and technical services' },
  N: { zh: '水利、环境和公共设施管理业', en: 'Water, environment and public facilities' },
  O: { zh: '居民服务、修理和其他服务业', en: 'Resident services, repair and other services' },
  P: { zh: '教育', en: 'Education' },
  Q: { zh: '卫生和社会工作', en: 'Health and social work' },
  R: { zh: '文化、体育和娱乐业', en: 'Culture, sports and entertainment' },
  S: { zh: '公共管理、社会保障和社会组织', en: 'Public administration, social security and organisations' },
  T: { zh: '国际组织', en: 'International organisations' },
};

type Division = readonly [section: string, zh: string, en: string];

/** The divisions by their two digits. */
export const INDUSTRY_DIVISIONS: Readonly<Record<string, Division>> = {
  '01': ['A', '农业', 'Farming'], '02': ['A', '林业', 'Forestry'], '03': ['A', '畜牧业', 'Animal husbandry'], '04': ['A', '渔业', 'Fishery'],
  '05': ['A', '农、林、牧、渔专业及辅助性活动', 'Support activities for agriculture'],
  '06': ['B', '煤炭开采和洗选业', 'Coal mining and washing'], '07': ['B', '石油和天然气开采业', 'Oil and gas extraction'],
  '08': ['B', '黑色金属矿采选业', 'Ferrous metal ore mining'], '09': ['B', '有色金属矿采选业', 'Non-ferrous metal ore mining'],
  '10': ['B', '非金属矿采选业', 'Non-metallic mineral mining'], '11': ['B', '开采专业及辅助性活动', 'Mining support activities'], '12': ['B', '其他采矿业', 'Other mining'],
  '13': ['C', '农副食品加工业', 'Processing of agricultural food'], '14': ['C', '食品制造业', 'Food manufacturing'],
  '15': ['C', '酒、饮料和精制茶制造业', 'Liquor, beverages and refined tea'], '16': ['C', '烟草制品业', 'Tobacco products'],
  '17': ['C', '纺织业', 'Textiles'], '18': ['C', '纺织服装、服饰业', 'Apparel and clothing'],
  '19': ['C', '皮革、毛皮、羽毛及其制品和制鞋业', 'Leather, fur, feathers and footwear'], '20': ['C', '木材加工和木、竹、藤、棕、草制品业', 'Wood, bamboo, rattan, palm and straw products'],
  '21': ['C', '家具制造业', 'Furniture'], '22': ['C', '造纸和纸制品业', 'Paper and paper products'], '23': ['C', '印刷和记录媒介复制业', 'Printing and reproduction of recorded media'],
  '24': ['C', '文教、工美、体育和娱乐用品制造业', 'Stationery, crafts, sports and entertainment goods'], '25': ['C', '石油、煤炭及其他燃料加工业', 'Petroleum, coal and other fuel processing'],
  '26': ['C', '化学原料和化学制品制造业', 'Chemical materials and products'], '27': ['C', '医药制造业', 'Pharmaceuticals'], '28': ['C', '化学纤维制造业', 'Chemical fibres'],
  '29': ['C', '橡胶和塑料制品业', 'Rubber and plastic products'], '30': ['C', '非金属矿物制品业', 'Non-metallic mineral products'],
  '31': ['C', '黑色金属冶炼和压延加工业', 'Ferrous metal smelting and rolling'], '32': ['C', '有色金属冶炼和压延加工业', 'Non-ferrous metal smelting and rolling'],
  '33': ['C', '金属制品业', 'Metal products'], '34': ['C', '通用设备制造业', 'General-purpose machinery'], '35': ['C', '专用设备制造业', 'Special-purpose machinery'],
  '36': ['C', '汽车制造业', 'Motor vehicles'], '37': ['C', '铁路、船舶、航空航天和其他运输设备制造业', 'Railway, ships, aerospace and other transport equipment'],
  '38': ['C', '电气机械和器材制造业', 'Electrical machinery and equipment'], '39': ['C', '计算机、通信和其他电子设备制造业', 'Computers, communication and other electronic equipment'],
  '40': ['C', '仪器仪表制造业', 'Instruments and meters'], '41': ['C', '其他制造业', 'Other manufacturing'], '42': ['C', '废弃资源综合利用业', 'Recycling of waste resources'],
  '43': ['C', '金属制品、机械和设备修理业', 'Repair of metal products, machinery and equipment'],
  '44': ['D', '电力、热力生产和供应业', 'Electricity and heat'], '45': ['D', '燃气生产和供应业', 'Gas'], '46': ['D', '水的生产和供应业', 'Water'],
  '47': ['E', '房屋建筑业', 'Building construction'], '48': ['E', '土木工程建筑业', 'Civil engineering'], '49': ['E', '建筑安装业', 'Installation'],
  '50': ['E', '建筑装饰、装修和其他建筑业', 'Building decoration and other construction'],
  '51': ['F', '批发业', 'Wholesale'], '52': ['F', '零售业', 'Retail'],
  '53': ['G', '铁路运输业', 'Rail transport'], '54': ['G', '道路运输业', 'Road transport'], '55': ['G', '水上运输业', 'Water transport'], '56': ['G', '航空运输业', 'Air transport'],
  '57': ['G', '管道运输业', 'Pipeline transport'], '58': ['G', '多式联运和运输代理业', 'Multimodal transport and forwarding'], '59': ['G', '装卸搬运和仓储业', 'Handling and warehousing'], '60': ['G', '邮政业', 'Post'],
  '61': ['H', '住宿业', 'Accommodation'], '62': ['H', '餐饮业', 'Catering'],
  '63': ['I', '电信、广播电视和卫星传输服务', 'Telecommunications, broadcasting and satellite transmission'], '64': ['I', '互联网和相关服务', 'Internet and related services'],
  '65': ['I', '软件和信息技术服务业', 'Software and IT services'],
  '66': ['J', '货币金融服务', 'Monetary financial services'], '67': ['J', '资本市场服务', 'Capital market services'], '68': ['J', '保险业', 'Insurance'], '69': ['J', '其他金融业', 'Other finance'],
  '70': ['K', '房地产业', 'Real estate'],
  '71': ['L', '租赁业', 'Leasing'], '72': ['L', '商务服务业', 'Business services'],
  '73': ['M', '研究和试验发展', 'Research and experimental development'], '74': ['M', '专业技术服务业', 'Professional technical services'], '75': ['M', '科技推广和应用服务业', 'Technology promotion and application'],
  '76': ['N', '水利管理业', 'Water management'], '77': ['N', '生态保护和环境治理业', 'Ecological protection and environmental management'],
  '78': ['N', '公共设施管理业', 'Public facilities management'], '79': ['N', '土地管理业', 'Land management'],
  '80': ['O', '居民服务业', 'Resident services'], '81': ['O', '机动车、电子产品和日用产品修理业', 'Repair of vehicles, electronics and household goods'], '82': ['O', '其他服务业', 'Other services'],
  '83': ['P', '教育', 'Education'], '84': ['Q', '卫生', 'Health'], '85': ['Q', '社会工作', 'Social work'],
  '86': ['R', '新闻和出版业', 'News and publishing'], '87': ['R', '广播、电视、电影和录音制作业', 'Radio, television, film and sound recording'],
  '88': ['R', '文化艺术业', 'Culture and arts'], '89': ['R', '体育', 'Sports'], '90': ['R', '娱乐业', 'Entertainment'],
  '91': ['S', '中国共产党机关', 'Communist Party organs'], '92': ['S', '国家机构', 'State organs'], '93': ['S', '人民政协、民主党派', 'CPPCC and democratic parties'],
  '94': ['S', '社会保障', 'Social security'], '95': ['S', '群众团体、社会团体和其他成员组织', 'Mass, social and other membership organisations'],
  '96': ['S', '基层群众自治组织及其他组织', 'Grassroots self-governing and other organisations'],
  '97': ['T', '国际组织', 'International organisations'],
};

/**
 * Parses a registry industry code: the section letter and its two-digit division ('C34').
 *
 * @example
 * parseIndustryCode('c34'); // 'C34'
 * parseIndustryCode('A34'); // ValidationError: division 34 is in section C
 */
export function parseIndustryCode(text: unknown, field = 'industryCode'): string {
  if (typeof text !== 'string' || !/^[A-Ta-t]\d{2}$/.test(text.trim())) throw new ValidationError(field, 'must be a GB/T 4754-2017 section letter and division, e.g. "C34"');
  const code = text.trim().toUpperCase();
  const division = INDUSTRY_DIVISIONS[code.slice(1)];
  if (division === undefined) throw new ValidationError(field, `division ${code.slice(1)} is not in GB/T 4754-2017 (01–97)`);
  if (division[0] !== code[0]) throw new ValidationError(field, `division ${code.slice(1)} is in section ${division[0]}, not ${code[0]}`);
  return code;
}

/** The names of a code's section and division. */
export function industryNames(code: string): { section: string; sectionName: IndustryName | null; divisionName: IndustryName | null } {
  const division = INDUSTRY_DIVISIONS[code.slice(1, 3)];
  return { section: code.slice(0, 1), sectionName: INDUSTRY_SECTIONS[code.slice(0, 1)] ?? null, divisionName: division ? { zh: division[1], en: division[2] } : null };
}

/**
 * The size standard's industry group of a division (工信部联企业〔2011〕300号 names its groups by
 * these sections and divisions; property management, a class inside division 70, falls to
 * real-estate development here).
 *
 * @example
 * sizeGroupOfIndustryCode('F52'); // 'retail'
 */
export function sizeGroupOfIndustryCode(code: string): IndustryCode {
  const section = code[0];
  const division = code.slice(1, 3);
  if (section === 'A') return 'agriculture';
  if (section === 'B' || section === 'C' || section === 'D') return 'industry';
  if (section === 'E') return 'construction';
  if (section === 'F') return division === '51' ? 'wholesale' : 'retail';
  if (section === 'G') return division === '59' ? 'warehousing' : division === '60' ? 'post' : 'transport';
  if (section === 'H') return division === '61' ? 'accommodation' : 'catering';
  if (section === 'I') return division === '65' ? 'software-it-services' : 'information-transmission';
  if (section === 'K') return 'real-estate-development';
  if (section === 'L') return 'leasing-business-services';
  return 'other';
}

/** A typical division of each size-standard group: what the simulator records for a firm of that group. */
export const TYPICAL_DIVISION: Readonly<Record<IndustryCode, readonly string[]>> = {
  agriculture: ['A01', 'A03', 'A04'],
  industry: ['C13', 'C18', 'C29', 'C33', 'C34', 'C38', 'C39'],
  construction: ['E47', 'E48', 'E50'],
  wholesale: ['F51'],
  retail: ['F52'],
  transport: ['G54', 'G58'],
  warehousing: ['G59'],
  post: ['G60'],
  accommodation: ['H61'],
  catering: ['H62'],
  'information-transmission': ['I63', 'I64'],
  'software-it-services': ['I65'],
  'real-estate-development': ['K70'],
  'property-management': ['K70'],
  'leasing-business-services': ['L71', 'L72'],
  other: ['O80', 'O81', 'M74'],
};
