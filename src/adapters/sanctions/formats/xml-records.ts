// Streams the record elements of a large XML file (saxes), one small element tree per record, within bounds.
import { createReadStream } from 'node:fs';
import { SaxesParser, SaxesTagPlain } from 'saxes';
import { SanctionsFileError, unreadableFile } from '../sanctions-list';
import { refuseWideText } from './text-encoding';

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
  /** Names of elements outside the records whose text is worth keeping (a publication date)... */
  readonly headers?: readonly string[];
  /** ...handed over as each of them closes. */
  readonly onHeader?: (name: string, text: string) => void;
}

/**
 * What one file may hold. The official files nest 5 deep, and their largest records hold a few hundred elements
 * (dozens of aliases, addresses and ids, each with a child or two) in some KB. Past these bounds a file is broken or
 * hostile: it is refused as a file problem, where it used to overflow the stack (descendantsOf recursed), reach
 * PostgreSQL (a 10 MB id overflowed its index) or cost hundreds of MB, in the load and in every service's index.
 */
const XML_LIMITS = {
  /** Elements within elements, the root included. */
  depth: 32,
  /** Characters of one element's text, and of anything saxes holds whole until it ends (a text, a tag with its
   * attributes, a comment): one CSV record's bound (csv-rows, max_record_size). */
  text: 1_000_000,
  /** Elements in one record, itself included. */
  recordElements: 10_000,
  /** Characters one record spans in the file, its markup included: room for one text at the limit and the rest. */
  recordCharacters: 2_000_000,
} as const;

const count = (n: number) => n.toLocaleString('en-GB');
const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** The named children of an element (namespace prefixes ignored). */
export const childrenOf = (element: XmlElement, name: string): XmlElement[] => element.children.filter((c) => c.name === name);
/** The trimmed text of the first child of that name, undefined when absent or blank. */
export function textOf(element: XmlElement | undefined, name: string): string | undefined {
  const text = element?.children.find((c) => c.name === name)?.text.trim();
  return text ? text : undefined;
}
/** Every descendant of that name, at any depth, in document order: a loop, so that no depth can exhaust the stack. */
export function descendantsOf(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const pending = [...element.children].reverse();
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.name === name) found.push(next);
    for (let i = next.children.length - 1; i >= 0; i--) pending.push(next.children[i]);
  }
  return found;
}

/** Yields each record element of `file` as it is parsed; a malformed or oversized file throws a SanctionsFileError naming the line. */
export async function* xmlRecords(file: string, spec: XmlRecordsSpec): AsyncGenerator<XmlElement> {
  await refuseWideText(file);
  const parser = new SaxesParser({ xmlns: false, position: true });
  const collector = new RecordCollector(parser, spec);
  parser.on('opentag', (tag) => collector.openTag(tag));
  parser.on('text', (text) => collector.text(text));
  parser.on('cdata', (text) => collector.text(text));
  parser.on('closetag', () => collector.closeTag());
  const stream = createReadStream(file, { encoding: 'utf8' });
  let read = 0;
  try {
    for await (const chunk of stream) {
      write(parser, chunk as string);
      read += (chunk as string).length;
      collector.checkGrowth(read);
      yield* collector.ready.splice(0);
    }
    write(parser, null);
    yield* collector.ready.splice(0);
  } catch (error) {
    throw unreadableFile(file, error) ?? error;
  } finally {
    stream.destroy();
  }
}

/** Builds the record elements out of saxes' events, refusing what passes XML_LIMITS as soon as it does. */
class RecordCollector {
  readonly ready: XmlElement[] = [];
  private readonly records: ReadonlySet<string>;
  private readonly open: XmlElement[] = [];
  private depth = 0;
  private header?: { name: string; text: string };
  /** Where the open record starts, and how many elements it has so far. */
  private record = { name: '', line: 0, position: 0, elements: 0 };
  /** Where the last event ended: saxes holds whatever it has read since, whole, until that text, tag or comment ends. */
  private mark = 0;

  constructor(
    private readonly parser: SaxesParser,
    private readonly spec: XmlRecordsSpec,
  ) {
    this.records = new Set(spec.records);
  }

  openTag(tag: SaxesTagPlain): void {
    this.checkMarkup();
    const name = localName(tag.name);
    this.depth += 1;
    if (this.depth > XML_LIMITS.depth) this.refuse(`elements nested more than ${XML_LIMITS.depth} deep`);
    if (this.depth === 1) {
      if (!this.spec.roots.includes(name)) throw new SanctionsFileError(`expected <${this.spec.roots.join('> or <')}> as the root element, found <${tag.name}>`);
      this.spec.onRoot?.(tag.attributes as Record<string, string>);
    }
    if (this.open.length === 0 && this.records.has(name)) this.record = { name, line: this.parser.line, position: this.parser.position, elements: 0 };
    if (this.open.length > 0 || this.records.has(name)) {
      this.record.elements += 1;
      if (this.record.elements > XML_LIMITS.recordElements) this.refuse(`${this.recordName()} has more than ${count(XML_LIMITS.recordElements)} elements`, false);
      const element: XmlElement = { name, attributes: tag.attributes as Record<string, string>, children: [], text: '' };
      this.open.at(-1)?.children.push(element);
      this.open.push(element);
    } else if (this.spec.headers?.includes(name)) this.header = { name, text: '' };
  }

  closeTag(): void {
    this.checkMarkup();
    this.depth -= 1;
    if (this.header) this.spec.onHeader?.(this.header.name, this.header.text);
    this.header = undefined;
    const element = this.open.pop();
    if (element && this.open.length === 0) {
      this.checkSpan();
      this.ready.push(element);
    }
  }

  text(text: string): void {
    // Not checked as a stretch: the element's text, all its pieces together, is checked against the same bound below.
    this.mark = this.parser.position;
    const current = this.open.at(-1) ?? this.header;
    if (!current) return;
    current.text += text;
    if (current.text.length > XML_LIMITS.text) this.refuse(`<${current.name}> has more than ${count(XML_LIMITS.text)} characters of text`);
  }

  /**
   * After each chunk, with the characters read so far (saxes' position is only right inside its events): refuses
   * what has grown too large though it has not ended yet, and that saxes would go on holding whole.
   */
  checkGrowth(read: number): void {
    this.checkMarkup(read, false);
    if (this.open.length > 0) this.checkSpan(read);
  }

  /** Refuses a stretch since the last event over the limit: a text, or a tag with its attributes, or a comment. */
  private checkMarkup(position = this.parser.position, ended = true): void {
    if (position - this.mark > XML_LIMITS.text) {
      const inside = this.open.at(-1) ?? this.header;
      this.refuse(`more than ${count(XML_LIMITS.text)} characters in one text, tag or comment${inside ? ` (in <${inside.name}>)` : ''}`);
    }
    if (ended) this.mark = position;
  }

  private checkSpan(position = this.parser.position): void {
    if (position - this.record.position > XML_LIMITS.recordCharacters) {
      this.refuse(`${this.recordName()} spans more than ${count(XML_LIMITS.recordCharacters)} characters`, false);
    }
  }

  private recordName(): string {
    return `the <${this.record.name}> that starts at line ${this.record.line}`;
  }

  /** Names the line, and the record the problem is in (unless the problem already names it). */
  private refuse(problem: string, inRecord = this.open.length > 0): never {
    throw new SanctionsFileError(`line ${this.parser.line}: ${problem}${inRecord ? `, in ${this.recordName()}` : ''}`);
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
