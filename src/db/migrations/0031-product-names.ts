/**
 * A product's name per language: `name` is its Chinese name (the one in the contract a borrower
 * signs), `name_en` its English name. The defaults used to carry both in one string ("Revolving
 * micro credit line 小微循环贷"), which the pages showed mixed; such names are split here at the first
 * Chinese character, and a name in one language only is kept as both.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('product').addColumn('name_en', 'text', (c) => c.notNull().defaultTo('')).execute();
  const products = await sql<{ id: string; name: string }>`select id, name from product`.execute(db);
  for (const product of products.rows) {
    const { zh, en } = splitMixedName(product.name);
    await sql`update product set name = ${zh}, name_en = ${en} where id = ${product.id}`.execute(db);
  }
}

/** "English 中文" → { zh: "中文", en: "English" }; a name without both parts is both names. */
export function splitMixedName(name: string): { readonly zh: string; readonly en: string } {
  const cjk = name.search(/[\u4e00-\u9fff]/);
  if (cjk <= 0) return { zh: name, en: name };
  const en = name.slice(0, cjk).trim();
  const zh = name.slice(cjk).trim();
  return en === '' || zh === '' ? { zh: name, en: name } : { zh, en };
}
