/**
 * Get / list / insert / update / delete of one table keyed by a composite primary key, written
 * once for every admin entity and both databases (Kysely compiles it for each dialect).
 */
import { type Insertable, type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { Page, PageKey, PageRequest } from './port/paging.js';
import type { Database } from './schema.js';

export interface RecordTableSpec<T extends keyof Database, R, P, N = R> {
  table: T;
  /** Primary-key columns, in the order in which the methods take their values. */
  keyColumns: readonly (keyof Database[T] & string)[];
  /** The order of `list`. */
  orderBy: readonly (keyof Database[T] & string)[];
  toRecord(row: Selectable<Database[T]>): R;
  toRow(record: N): Insertable<Database[T]>;
  toPatch(patch: P): Updateable<Database[T]>;
}

export interface RecordTable<R, P, N = R> {
  get(key: readonly string[]): Promise<R | null>;
  /** The rows whose leading key columns equal `scope` (all rows for an empty scope). */
  list(scope: readonly string[]): Promise<R[]>;
  /**
   * One page of `list`, for a table ordered by two columns (a time, then an id); with `contains`,
   * only the rows whose column holds that text (taken literally: `%` and `_` match themselves).
   */
  page(scope: readonly string[], request: PageRequest, contains?: ContainsFilter): Promise<Page<R>>;
  /** `false` when the key (or another unique column) is taken. */
  insert(record: N): Promise<boolean>;
  /** `false` when there is no such row. An empty patch changes nothing. */
  update(key: readonly string[], patch: P): Promise<boolean>;
  delete(key: readonly string[]): Promise<boolean>;
}

/**
 * Rows whose `column` contains `text`. Give `text` in the column's own case: SQLite's `like` ignores
 * the case of ASCII letters and PostgreSQL's does not, so only a lower-case column searched with
 * lower-case text (a normalised email) answers the same on both.
 */
export interface ContainsFilter {
  column: string;
  text: string;
}

type LooseRow = Record<string, unknown>;
type LooseDatabase = Record<string, LooseRow>;

export function recordTable<T extends keyof Database, R, P, N = R>(
  database: Kysely<Database>,
  spec: RecordTableSpec<T, R, P, N>,
): RecordTable<R, P, N> {
  // The spec's types tie columns to the table; past that point Kysely cannot follow a generic table.
  const db = database as unknown as Kysely<LooseDatabase>;
  const table = spec.table as string;
  const toRecord = (row: LooseRow) => spec.toRecord(row as Selectable<Database[T]>);
  const matching = (values: readonly string[]) =>
    values.map((value, i) => [spec.keyColumns[i] as string, value] as const);

  const get = async (key: readonly string[]) => {
    let query = db.selectFrom(table).selectAll();
    for (const [column, value] of matching(key)) query = query.where(column, '=', value);
    const row = await query.executeTakeFirst();
    return row ? toRecord(row) : null;
  };

  return {
    get,
    async list(scope) {
      let query = db.selectFrom(table).selectAll();
      for (const [column, value] of matching(scope)) query = query.where(column, '=', value);
      for (const column of spec.orderBy) query = query.orderBy(column);
      return (await query.execute()).map(toRecord);
    },
    async page(scope, { after, limit }, contains) {
      const [first, second] = spec.orderBy as readonly string[];
      if (first === undefined || second === undefined || spec.orderBy.length !== 2) {
        throw new Error(`${table} is not ordered by a time and an id; it cannot be paged.`);
      }
      let query = db.selectFrom(table).selectAll();
      for (const [column, value] of matching(scope)) query = query.where(column, '=', value);
      if (contains !== undefined) {
        const pattern = `%${contains.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        query = query.where(sql<boolean>`${sql.ref(contains.column)} like ${pattern} escape '\\'`);
      }
      if (after !== null) {
        const [time, id] = after;
        query = query.where((eb) =>
          eb.or([eb(first, '>', time), eb.and([eb(first, '=', time), eb(second, '>', id)])]),
        );
      }
      const rows = await query
        .orderBy(first)
        .orderBy(second)
        .limit(limit + 1)
        .execute();
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const next: PageKey | null =
        rows.length > limit && last !== undefined ? [Number(last[first]), String(last[second])] : null;
      return { items: items.map(toRecord), next };
    },
    async insert(record) {
      const result = await db
        .insertInto(table)
        .values(spec.toRow(record) as LooseRow)
        .onConflict((conflict) => conflict.doNothing())
        .executeTakeFirst();
      return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
    },
    async update(key, patch) {
      const changes = spec.toPatch(patch) as LooseRow;
      if (Object.keys(changes).length === 0) return (await get(key)) !== null;
      let query = db.updateTable(table).set(changes);
      for (const [column, value] of matching(key)) query = query.where(column, '=', value);
      const result = await query.executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },
    async delete(key) {
      let query = db.deleteFrom(table);
      for (const [column, value] of matching(key)) query = query.where(column, '=', value);
      const result = await query.executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
