// YAML (or JSON, which YAML includes) read quietly: the rule sets the API takes, and the files the service starts with.
import { parseDocument } from 'yaml';

/**
 * The text's document, or what is wrong with it ("not valid YAML or JSON: ..."). By default the
 * yaml library prints its warnings (an unresolved tag, a collection as a key), quoting the text
 * around them, through process.emitWarning to stderr, outside the JSON logs and their redactor:
 * here a warning is a problem of the text like an error, and nothing is printed. An alias may make
 * a mapping or list hold itself ("a: &x { b: *x }"), which no reader could walk to its end: refused.
 */
export function readYaml(text: string): { readonly document: unknown } | { readonly problem: string } {
  try {
    const parsed = parseDocument(text, { logLevel: 'silent' });
    const first = parsed.errors[0] ?? parsed.warnings[0];
    if (first) throw first;
    const document: unknown = parsed.toJS();
    const cycle = selfHolding(document, '', new Set());
    if (cycle !== undefined) return { problem: `not valid YAML or JSON: ${cycle || 'the document'} holds itself (an alias of a mapping or list it is in)` };
    return { document };
  } catch (error) {
    return { problem: `not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** Where `value` first holds one of the mappings or lists it is in (`within`), if anywhere. */
function selfHolding(value: unknown, where: string, within: Set<object>): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (within.has(value)) return where;
  within.add(value);
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [`${where}[${index}]`, item]) : Object.entries(value).map(([key, item]) => [where ? `${where}.${key}` : key, item]);
  for (const [path, item] of entries) {
    const found = selfHolding(item, path, within);
    if (found !== undefined) return found;
  }
  within.delete(value);
  return undefined;
}
