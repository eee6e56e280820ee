/**
 * Statements compiled once per shape. Kysely builds and compiles every statement anew, which for a
 * small statement costs more than SQLite's running it (a 31-row insert ≈ 80 µs, a look-up by key
 * ≈ 14–45 µs): a shape (which statement, how many rows or keys) is compiled once and its SQL text
 * runs again with new parameters, `params` given in the order Kysely puts them. The first time,
 * Kysely's own parameters are checked against `params`: a shape where they differ is compiled
 * every time.
 */
import { type Compilable, CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../schema.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** The SQL of each shape, compiled once per store; null for a shape compiled every time. */
export type Shapes = Map<string, string | null>;

export const runShaped = async <R>(
  db: Db,
  shapes: Shapes,
  shape: string,
  params: unknown[],
  build: () => Compilable<R>,
): Promise<R[]> => {
  const text = shapes.get(shape);
  if (text) return (await db.executeQuery<R>(CompiledQuery.raw(text, params))).rows;
  const compiled = build().compile();
  if (text === undefined) {
    const same =
      compiled.parameters.length === params.length && compiled.parameters.every((v, k) => v === params[k]);
    shapes.set(shape, same ? compiled.sql : null);
  }
  return (await db.executeQuery(compiled)).rows;
};

const byAdapter = new WeakMap<object, Shapes>();

/**
 * The shapes kept for a database: per Kysely adapter, which a store's handle and its transactions
 * share (one dialect, so one SQL text per shape), for the life of the store.
 */
export const shapesOf = (db: Db): Shapes => {
  const adapter = db.getExecutor().adapter;
  let shapes = byAdapter.get(adapter);
  if (!shapes) {
    shapes = new Map();
    byAdapter.set(adapter, shapes);
  }
  return shapes;
};
