/**
 * The five categories of loan classification (五级分类), best to worst: 正常, 关注, 次级, 可疑, 损失.
 * The last three are non-performing. Defined here, in the domain, and imported by the database
 * schema (`loan.classification`), never the reverse.
 *
 * @example
 * const c: Classification = 'special-mention'; // 关注
 */
export type Classification = 'normal' | 'special-mention' | 'substandard' | 'doubtful' | 'loss';
