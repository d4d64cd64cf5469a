// Types of sanctions-names.mjs for the TypeScript suites that use it.
import { SanctionsEntry } from '../src/domain/sanctions';

export interface GeneratedList {
  readonly entries: SanctionsEntry[];
  readonly tokensOf: Map<string, unknown>;
}
export interface LabelledCase {
  readonly query: string;
  readonly kind: string;
  readonly entryId?: string;
  readonly listedName?: string;
}
export interface Evaluation {
  readonly recall: number;
  readonly precision: number;
  readonly tp: number;
  readonly fn: number;
  readonly fp: number;
  readonly tn: number;
  readonly kinds: Record<string, { cases: number; found: number }>;
}
export function random(seed: number): () => number;
export function generateList(names: number, seed?: number): GeneratedList;
export function labelledSet(list: GeneratedList, positives: number, negatives: number, seed?: number): LabelledCase[];
export function evaluate(cases: readonly LabelledCase[], screen: (query: string) => readonly { entryId: string }[]): Evaluation;
