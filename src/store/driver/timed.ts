import type { Sql, SqlRow, SqlStatement, SqlValue } from "./sql.ts";

// The Sql port, reporting how long each call waited for the database (queueing for the
// connection included) to `observe`, for the metrics. A transaction is reported whole; the
// statements inside it are not reported again.
export function timedSql(sql: Sql, observe: (operation: string, seconds: number) => void): Sql {
  const timed = async <T>(operation: string, call: Promise<T>, started: number): Promise<T> => {
    try {
      return await call;
    } finally {
      observe(operation, (performance.now() - started) / 1000);
    }
  };
  return {
    dialect: sql.dialect,
    query: <Row extends SqlRow>(text: string, args: readonly SqlValue[]) => timed("query", sql.query<Row>(text, args), performance.now()),
    execute: (text: string, args: readonly SqlValue[]) => timed("execute", sql.execute(text, args), performance.now()),
    queries: (statements: readonly SqlStatement[]) => timed("query", sql.queries(statements), performance.now()),
    batch: (statements: readonly SqlStatement[]) => timed("batch", sql.batch(statements), performance.now()),
    guardedBatch: (guard: SqlStatement, statements: readonly SqlStatement[]) =>
      timed("batch", sql.guardedBatch(guard, statements), performance.now()),
    transaction: <T>(body: (inner: Sql) => Promise<T>) => timed("transaction", sql.transaction(body), performance.now()),
  };
}
