// YAML (or JSON, which YAML includes) read quietly: the rule sets the API takes, and the files the service starts with.
import { parseDocument } from 'yaml';
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
