// YAML (or JSON, which YAML includes) read quietly: the rule sets the API takes, and the files the service starts with.
import { Document, parseDocument, visit } from 'yaml';
import { beyondDouble, EXACT_DOUBLE_DIGITS } from '../../domain/exact-double';
import { isStorableText } from '../../domain/storable-text';

/** Told each key and string of a document, with where it is (a key: the mapping that holds it). */
export type TextVisitor = (text: string, where: string, isKey: boolean) => void;

/**
 * The text's document, or what is wrong with it ("not valid YAML or JSON: ..."). `lenient` reads
 * text accepted before these checks (a rule set stored by an earlier release) as it was then read:
 * only errors refuse it, warnings are ignored and no walk is made. By default the
 * yaml library prints its warnings (an unresolved tag, a collection as a key), quoting the text
 * around them, through process.emitWarning to stderr, outside the JSON logs and their redactor:
 * here a warning is a problem of the text like an error, and nothing is printed. An alias may make
 * a mapping or list hold itself ("a: &x { b: *x }"), which no reader could walk to its end: refused.
 * The one walk that looks for it hands `onText` every key and string on the way.
 */
export function readYaml(text: string, options: { readonly lenient?: boolean; readonly onText?: TextVisitor } = {}): { readonly document: unknown } | { readonly problem: string } {
  try {
    const parsed = parseDocument(text, { logLevel: 'silent' });
    const first = parsed.errors[0] ?? (options.lenient ? undefined : parsed.warnings[0]);
    if (first) throw first;
    if (!options.lenient) {
      const inexact = inexactNumberAt(parsed);
      if (inexact !== undefined) {
        // Named by its line, not quoted: a long number may be a card or account number.
        const line = text.slice(0, inexact).split('\n').length;
        return { problem: `not valid YAML or JSON: the number on line ${line} has more than ${EXACT_DOUBLE_DIGITS} significant digits, which a number cannot hold exactly: write it as a string` };
      }
    }
    const document: unknown = parsed.toJS();
    if (options.lenient) return { document };
    const cycle = walk(document, '', options.onText ?? (() => undefined), new Set(), new WeakSet());
    if (cycle !== undefined) return { problem: `not valid YAML or JSON: ${cycle || 'the document'} holds itself (an alias of a mapping or list it is in)` };
    return { document };
  } catch (error) {
    return { problem: `not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}` };
  }
}

/**
 * Where the first number written with more significant digits than a double keeps starts in the
 * text. Read as a number it would come out rounded (a threshold of 50000.123456789012345678 as
 * 50000.12345678901), and a rule would compare amounts with a value nobody wrote: refused, where a
 * string keeps every digit.
 */
function inexactNumberAt(parsed: Document): number | undefined {
  let found: number | undefined;
  visit(parsed, {
    Scalar(_key, node) {
      if (typeof node.value !== 'number' || node.source === undefined) return undefined;
      const digits = /^[-+]?(\d*)\.?(\d*)(?:[eE][-+]?\d+)?$/.exec(node.source.trim());
      if (!digits || !beyondDouble(`${digits[1]}${digits[2]}`)) return undefined;
      found = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Visits `value`'s keys and strings, and answers where it first holds one of the mappings or lists
 * it is in (`within`), if anywhere. One reached again through another alias, once `done`, is not
 * walked again: a document of many aliases of one large list costs one walk of each mapping and
 * list. A key that is no storable text is named "(a key)" in the paths below it.
 */
function walk(value: unknown, where: string, visit: TextVisitor, within: Set<object>, done: WeakSet<object>): string | undefined {
  if (typeof value === 'string') visit(value, where, false);
  if (typeof value !== 'object' || value === null || done.has(value)) return undefined;
  if (within.has(value)) return where;
  within.add(value);
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [`${where}[${index}]`, item])
    : Object.entries(value).map(([key, item]) => {
        visit(key, where, true);
        return [isStorableText(key) ? (where ? `${where}.${key}` : key) : `${where || 'document'} (a key)`, item];
      });
  for (const [path, item] of entries) {
    const found = walk(item, path, visit, within, done);
    if (found !== undefined) return found;
  }
  within.delete(value);
  done.add(value);
  return undefined;
}
