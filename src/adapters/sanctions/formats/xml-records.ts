// Streams the record elements of a large XML file (saxes), one small element tree per record.
import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';
import { SanctionsFileError } from '../sanctions-list';

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

export interface XmlRecordsSpec {
  /** Accepted names of the root element: anything else is not this format. */
  readonly roots: readonly string[];
  /** Names of the elements to hand over whole, wherever they are. */
  readonly records: readonly string[];
  /** Called with the root element's attributes as soon as it opens. */
  readonly onRoot?: (attributes: Readonly<Record<string, string>>) => void;
  /** Texts of elements outside the records worth keeping (a publication date), by element name. */
  readonly headers?: Map<string, string>;
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** The named children of an element (namespace prefixes ignored). */
export const childrenOf = (element: XmlElement, name: string): XmlElement[] => element.children.filter((c) => c.name === name);
/** The trimmed text of the first child of that name, undefined when absent or blank. */
export function textOf(element: XmlElement | undefined, name: string): string | undefined {
  const text = element?.children.find((c) => c.name === name)?.text.trim();
  return text ? text : undefined;
}
/** Every descendant of that name, at any depth. */
export function descendantsOf(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((c) => (c.name === name ? [c, ...descendantsOf(c, name)] : descendantsOf(c, name)));
}

/** Yields each record element of `file` as it is parsed; a malformed file throws a SanctionsFileError naming the line. */
export async function* xmlRecords(file: string, spec: XmlRecordsSpec): AsyncGenerator<XmlElement> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const records = new Set(spec.records);
  const ready: XmlElement[] = [];
  const open: XmlElement[] = [];
  let depth = 0;
  let headerName: string | undefined;
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    depth += 1;
    if (depth === 1) {
      if (!spec.roots.includes(name)) throw new SanctionsFileError(`expected <${spec.roots.join('> or <')}> as the root element, found <${tag.name}>`);
      spec.onRoot?.(tag.attributes as Record<string, string>);
    }
    if (open.length > 0 || records.has(name)) {
      const element: XmlElement = { name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
      open.at(-1)?.children.push(element);
      open.push(element);
    } else if (spec.headers?.has(name)) headerName = name;
  });
  parser.on('text', (text) => appendText(text));
  parser.on('cdata', (text) => appendText(text));
  parser.on('closetag', () => {
    depth -= 1;
    headerName = undefined;
    const element = open.pop();
    if (element && open.length === 0) ready.push(element);
  });
  function appendText(text: string) {
    const current = open.at(-1);
    if (current) current.text += text;
    else if (headerName) spec.headers!.set(headerName, (spec.headers!.get(headerName) ?? '') + text);
  }
  const stream = createReadStream(file, { encoding: 'utf8' });
  try {
    for await (const chunk of stream) {
      write(parser, chunk as string);
      yield* ready.splice(0);
    }
    write(parser, null);
    yield* ready.splice(0);
  } finally {
    stream.destroy();
  }
}

function write(parser: SaxesParser, chunk: string | null): void {
  try {
    if (chunk === null) parser.close();
    else parser.write(chunk);
  } catch (error) {
    if (error instanceof SanctionsFileError) throw error;
    throw new SanctionsFileError(`not well-formed XML: ${(error as Error).message}`);
  }
}
