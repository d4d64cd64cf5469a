// Types of search-seed.mjs for the TypeScript suites that use it.
export function seedQueue(url: string, rows: number, pendingEvery?: number): Promise<number>;
