// `sanctions-name`: fires when the beneficiary's name (the payer's, on money received) matches an entry of a loaded sanctions list.
import { isSanctionsSource, SANCTIONS_SOURCES, SanctionsSource } from '../../../../domain/sanctions';
import { screenedParties } from '../../../sanctions/screened-parties';
import { RuleCheck, RuleFields, RuleType } from './rule-type';
import { shownValue } from '../../../../domain/shown-value';

export const sanctionsNameRule: RuleType = {
  name: 'sanctions-name',
  parse(entry: RuleFields, where: string, problems: string[]): RuleCheck {
    const threshold = entry.threshold ?? 0.9;
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) problems.push(`${where}.threshold: must be a score above 0 and at most 1, e.g. 0.9`);
    let sources: ReadonlySet<SanctionsSource> | undefined;
    if (entry.lists !== undefined) {
      if (!Array.isArray(entry.lists) || entry.lists.length === 0) problems.push(`${where}.lists: must be a non-empty list of ${SANCTIONS_SOURCES.join(', ')}`);
      else {
        entry.lists.forEach((list, i) => {
          if (!isSanctionsSource(list)) problems.push(`${where}.lists[${i}]: "${shownValue(list)}" is not one of ${SANCTIONS_SOURCES.join(', ')}`);
        });
        sources = new Set(entry.lists.filter(isSanctionsSource));
      }
    }
    return {
      // No list loaded: the index is empty and nothing fires (health and metrics say so).
      fires: ({ transaction, sanctions }) => {
        if (!sanctions) return undefined;
        for (const party of screenedParties(transaction)) {
          const { hits, total } = sanctions.top({ name: party.name, birthDate: party.birthDate, country: party.country, minScore: threshold as number, sources }, transaction.customerId, 1);
          const best = hits[0];
          if (!best) continue;
          return {
            party: party.role === 'beneficiary' ? 'Beneficiary' : 'Payer',
            name: party.name,
            list: best.source,
            entryId: `${best.source}:${best.entryId}`,
            entryName: best.entryName,
            alias: best.matchedName,
            score: best.score.toFixed(3),
            evidence: best.notes.length > 0 ? best.notes.join(', ') : 'name only',
            otherHits: total - 1,
          };
        }
        return undefined;
      },
    };
  },
};
