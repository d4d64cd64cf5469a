// YAML (or JSON, which YAML includes) read quietly: the rule sets the API takes, and the files the service starts with.
import { parseDocument } from 'yaml';

/**
 * The text's document, or what is wrong with it ("not valid YAML or JSON: ..."). By default the
 * yaml library prints its warnings (an unresolved tag, a collection as a key), quoting the text
 * around them, through process.emitWarning to stderr, outside the JSON logs and their redactor:
 * here a warning is a problem of the text like an error, and nothing is printed.
 */
export function readYaml(text: string): { readonly document: unknown } | { readonly problem: string } {
  try {
    const document = parseDocument(text, { logLevel: 'silent' });
    const first = document.errors[0] ?? document.warnings[0];
    if (first) throw first;
    return { document: document.toJS() };
  } catch (error) {
    return { problem: `not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}` };
  }
}
