/**
 * The few things the history store asks of a database, so that the same statements run on the embedded
 * default (SQLite, built into Node) and on the team's PostgreSQL: `?` placeholders, and upserts both know.
 */
export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  /** A table's name as this database has it (PostgreSQL keeps foggy's in a schema of its own). */
  table(name: string): string;
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  run(sql: string, params?: readonly unknown[]): Promise<void>;
  /** `work` in one transaction: all of it, or none. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** `?` placeholders as PostgreSQL writes them ($1, $2 …). */
export function numbered(sql: string): string {
  let index = 0;
  return sql.replaceAll('?', () => `$${++index}`);
}
