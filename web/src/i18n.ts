/**
 * Chinese (the default) and English. Every text the app shows is a key here, so a missing
 * translation is a type error, not a blank on screen.
 */
import { createContext, useContext } from 'react';
import { codesEn, codesZh } from './code-texts';
import { portalEn, portalZh } from './i18n-portal';
import { ecologyEn, ecologyZh } from './i18n-ecology';
import { monitoringEn, monitoringZh } from './i18n-monitoring';
import { collateralEn, collateralZh } from './i18n-collateral';
import { portalMoneyEn, portalMoneyZh } from './i18n-portal-money';
import { wordsEn, wordsZh } from './i18n-words';
import { bookEn, bookZh } from './i18n-book';
import { collectionsEn, collectionsZh } from './i18n-collections';
import { regulatoryEn, regulatoryZh } from './i18n-regulatory';
import { supplyChainEn, supplyChainZh } from './i18n-supply-chain';
import { operationsEn, operationsZh } from './i18n-operations';

export type Language = 'zh' | 'en';

const zh = {
  appName: 'Sprout 小微贷',
  tagline: '小微企业的线上信贷平台',
  login: '登录',
  loggingIn: '登录中…',
  logout: '退出',
  username: '用户名',
  password: '密码',
  demoHint: '演示账号：用户名为角色名，密码为「角色名-demo」。',
  switchLanguage: 'English',
  dashboard: '经营看板',
  linesAndLoans: '授信与贷款',
  apply: '申请贷款',
  reviewQueue: '审批队列',
  demoFillingTitle: '正在生成演示数据，完成后即可登录。',
  demoFillingRegister: '登记企业',
  demoFillingHistory: '按日经营（放款、还款、日终）',
  demoFillingLogins: '创建演示账号',
  readOnlyRecord: '只读：您可以查看申请和决策记录，审批由信贷审批人和风险经理进行。',
  asOf: '业务日期',
  readFromPrimary: '主库实时数据',
  readFromPrimaryAge: '主库数据，{age} 秒前读取',
  readFromStandby: '备库数据，延迟 {lag} 秒',
  balance: '贷款余额',
  borrowers: '借款户数',
  loansCount: '贷款笔数',
  pastDueFinancings: '+ 供应链融资 {n} 笔',
  overdueRatio: '逾期率',
  nplRatio: '不良率',
  averageRate: '加权平均利率',
  provision: '贷款损失准备',
  overdueBalance: '逾期余额',
  nplBalance: '不良余额',
  classification: '五级分类',
  byProduct: '分产品',
  riskByProduct: '分产品逾期率与不良率',
  product: '产品',
  share: '占比',
  exportCsv: '导出 CSV',
  category: '类别',
  loading: '加载中…',
  empty: '暂无数据',
  noEnterprise: '该账号尚未关联企业。',
  line: '授信',
  limit: '额度',
  available: '可用额度',
  rate: '年利率',
  status: '状态',
  term: '期限',
  loan: '贷款',
  noteNo: '借据号',
  principal: '本金',
  outstanding: '余额',
  disbursedOn: '放款日',
  maturityOn: '到期日',
  dpd: '逾期天数',
  comingSoon: '即将推出',
  applyLater: '线上申请（三分钟申请、一秒审批）将随决策引擎上线。',
  reviewLater: '转人工审批的申请及其原因将在这里排队，随决策引擎上线。',
  'normal': '正常',
  'special-mention': '关注',
  'substandard': '次级',
  'doubtful': '可疑',
  'loss': '损失',
  error: '出错了',
  yuan: '元',
  role: '角色',
  // The dashboard over time and by group.
  balanceTrend: '贷款余额与新增投放',
  newLending: '新增投放',
  riskTrend: '逾期率与不良率走势',
  rateTrend: '加权平均利率走势',
  growth30: '近30日余额增长',
  breakdown: '业务分布',
  byRegion: '分地区',
  byIndustry: '分行业',
  bySize: '分企业规模',
  exportHistoryCsv: '导出走势 CSV',
  noHistory: '尚无日终数据：日终批处理运行后这里显示走势。',
  ...portalZh,
  ...codesZh,
  ...ecologyZh,
  ...monitoringZh,
  ...collateralZh,
  ...portalMoneyZh,
  ...wordsZh,
  ...bookZh,
  ...collectionsZh,
  ...regulatoryZh,
  ...supplyChainZh,
  ...operationsZh,
};

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appName: 'Sprout',
  tagline: 'Online lending for small and micro enterprises',
  login: 'Log in',
  loggingIn: 'Logging in…',
  logout: 'Log out',
  username: 'Username',
  password: 'Password',
  demoHint: 'Demo logins: the username is the role, the password is "<role>-demo".',
  switchLanguage: '中文',
  dashboard: 'Dashboard',
  linesAndLoans: 'Lines and loans',
  apply: 'Apply',
  reviewQueue: 'Review queue',
  demoFillingTitle: 'Filling the demo book; you can log in once it is ready.',
  demoFillingRegister: 'Registering enterprises',
  demoFillingHistory: 'Living through the days (loans, repayments, end of day)',
  demoFillingLogins: 'Creating the demo logins',
  readOnlyRecord: 'Read only: you see the application and its decision record; credit approvers and risk officers decide it.',
  asOf: 'Business date',
  readFromPrimary: 'Live from the primary database',
  readFromPrimaryAge: 'From the primary database, read {age} s ago',
  readFromStandby: 'From the standby, {lag} s behind',
  balance: 'Loan balance',
  borrowers: 'Borrowers',
  loansCount: 'Loans',
  pastDueFinancings: '+ {n} supply-chain financing(s)',
  overdueRatio: 'Overdue ratio',
  nplRatio: 'NPL ratio',
  averageRate: 'Average rate',
  provision: 'Loan-loss provision',
  overdueBalance: 'Overdue balance',
  nplBalance: 'NPL balance',
  classification: 'Five-category classification',
  byProduct: 'By product',
  riskByProduct: 'Overdue and NPL ratio by product',
  product: 'Product',
  share: 'Share',
  exportCsv: 'Export CSV',
  category: 'Category',
  loading: 'Loading…',
  empty: 'No data yet',
  noEnterprise: 'This login is not linked to an enterprise yet.',
  line: 'Line',
  limit: 'Limit',
  available: 'Available',
  rate: 'Rate',
  status: 'Status',
  term: 'Term',
  loan: 'Loan',
  noteNo: 'Loan note no.',
  principal: 'Principal',
  outstanding: 'Outstanding',
  disbursedOn: 'Disbursed',
  maturityOn: 'Maturity',
  dpd: 'Days past due',
  comingSoon: 'Coming soon',
  applyLater: 'Online applications (three minutes to apply, one second to decide) arrive with the decision engine.',
  reviewLater: 'Applications referred to a person will queue here with their reasons, with the decision engine.',
  'normal': 'Normal',
  'special-mention': 'Special mention',
  'substandard': 'Substandard',
  'doubtful': 'Doubtful',
  'loss': 'Loss',
  error: 'Something went wrong',
  yuan: 'yuan',
  role: 'Role',
  balanceTrend: 'Loan balance and new lending',
  newLending: 'New lending',
  riskTrend: 'Overdue and NPL ratios over time',
  rateTrend: 'Average rate over time',
  growth30: 'Balance growth, 30 days',
  breakdown: 'Where the book is',
  byRegion: 'By region',
  byIndustry: 'By industry',
  bySize: 'By enterprise size',
  exportHistoryCsv: 'Export history CSV',
  noHistory: 'No end-of-day data yet: the trends appear once end of day has run.',
  ...portalEn,
  ...codesEn,
  ...ecologyEn,
  ...monitoringEn,
  ...collateralEn,
  ...portalMoneyEn,
  ...wordsEn,
  ...bookEn,
  ...collectionsEn,
  ...regulatoryEn,
  ...supplyChainEn,
  ...operationsEn,
};

export const MESSAGES: Record<Language, Record<MessageKey, string>> = { zh, en };

export interface I18n {
  readonly language: Language;
  readonly t: (key: MessageKey) => string;
  readonly setLanguage: (language: Language) => void;
}

export const I18nContext = createContext<I18n>({ language: 'zh', t: (key) => zh[key], setLanguage: () => {} });

export const useI18n = () => useContext(I18nContext);

/** The punctuation a page writes between words it puts together: full width in Chinese, ASCII followed by a space in English. */
export interface Punctuation {
  readonly colon: string;
  readonly comma: string;
  readonly semicolon: string;
  /** Between the items of a list: 、 in Chinese. */
  readonly enumeration: string;
  readonly open: string;
  readonly close: string;
}

const PUNCTUATION: Record<Language, Punctuation> = {
  zh: { colon: '：', comma: '，', semicolon: '；', enumeration: '、', open: '（', close: '）' },
  en: { colon: ': ', comma: ', ', semicolon: '; ', enumeration: ', ', open: ' (', close: ')' },
};

/** The page's punctuation, so an English page never shows 、 or ： between English words. */
export function punctuationOf(i18n: Pick<I18n, 'language'>): Punctuation {
  return PUNCTUATION[i18n.language];
}

/** Words in brackets after what they qualify, in the page's language: 招商银行（308584000013）; Bank (308584000013). */
export function bracketText(i18n: Pick<I18n, 'language'>, words: string): string {
  const { open, close } = punctuationOf(i18n);
  return `${open}${words}${close}`;
}

/** Items listed in the page's language: 风险经理、系统管理员; Risk officer, Administrator. */
export function listText(i18n: Pick<I18n, 'language'>, items: readonly string[]): string {
  return items.join(punctuationOf(i18n).enumeration);
}

const STORAGE_KEY = 'sprout.language';

/** The language chosen last time on this browser; Chinese otherwise. */
export function initialLanguage(): Language {
  return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
}
