/** The keys of a catalog table, typed as its key union (Object.keys widens them to string). */
export function keysOf<T extends object>(table: T): readonly Extract<keyof T, string>[] {
  return Object.keys(table) as Extract<keyof T, string>[];
}
