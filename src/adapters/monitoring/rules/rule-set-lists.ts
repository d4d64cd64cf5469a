// The `lists:` section of a rule set: the managed lists its rules match against, each with the types of value it holds.
import { isListType, LIST_NAME, LIST_TYPES, ListDeclaration, ListType } from '../../../domain/managed-list';
import { shownValue } from '../../../domain/shown-value';

/** Reads `lists:` (absent is none), pushing one problem per mistake. */
export function parseListDeclarations(raw: unknown, problems: string[]): ListDeclaration[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    problems.push('lists: must be a list of { name, types, description }');
    return [];
  }
  const names = new Set<string>();
  return raw.flatMap((item: unknown, i) => {
    const where = `lists[${i}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      problems.push(`${where}: must be a mapping with name, types (or type) and description`);
      return [];
    }
    const entry = item as Record<string, unknown>;
    const name = entry.name;
    if (typeof name !== 'string' || !LIST_NAME.test(name)) {
      problems.push(`${where}.name: required, lower-case letters, digits and hyphens (at most 63), e.g. blocked-beneficiaries`);
    } else if (names.has(name)) problems.push(`${where}.name: "${name}" is declared twice`);
    else names.add(name);
    const types = parseTypes(entry.types ?? (entry.type === undefined ? undefined : [entry.type]), where, problems);
    const description = entry.description ?? '';
    if (typeof description !== 'string' || description.length > 500) problems.push(`${where}.description: must be text of at most 500 characters`);
    return typeof name === 'string' && types ? [{ name, types, description: typeof description === 'string' ? description : '' }] : [];
  });
}

function parseTypes(raw: unknown, where: string, problems: string[]): ListType[] | undefined {
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push(`${where}.types: required (or "type"), one or more of ${LIST_TYPES.join(', ')}`);
    return undefined;
  }
  const bad = raw.filter((type) => !isListType(type));
  if (bad.length > 0) {
    problems.push(`${where}.types: ${bad.map((t) => `"${shownValue(t)}"`).join(', ')} not one of ${LIST_TYPES.join(', ')}`);
    return undefined;
  }
  return [...new Set(raw as ListType[])];
}
