import { SanctionsEntry } from '../sanctions-list';
import { nameTokens } from './name-tokens';
import { FREQUENT_POSTINGS } from './pair-postings';
import { NameQuery, SanctionsIndex, SanctionsIndexBuilder } from './sanctions-index';

const entry = (entryId: string, name: string, more: Partial<SanctionsEntry> = {}): SanctionsEntry => ({
  entryId,
  kind: 'individual',
  name,
  aliases: [],
  birthDates: [],
  countries: [],
  programmes: [],
  ...more,
});

function indexOf(...entries: SanctionsEntry[]): SanctionsIndex {
  const builder = new SanctionsIndexBuilder();
  for (const e of entries) builder.add('OFAC-SDN', e);
  return builder.build([{ source: 'OFAC-SDN', version: 'v1', loadedAt: new Date(), entries: entries.length }]);
}

const index = indexOf(
  entry('1', 'HUSSEIN, Saddam', { aliases: ['Saddam Hussein al-Tikriti', 'Abu Ali'], birthDates: ['1937-04-28'], countries: ['IQ'] }),
  entry('2', 'Sergei Viktorovich IVANOV', { birthDates: ['1960'], countries: ['RU'] }),
  entry('3', 'Muhammad Yusuf ABDULRAHMAN'),
  entry('4', 'John Michael SMITH'),
  entry('5', 'ROSNEFT PAO', { kind: 'entity', aliases: ['Rosneft Oil Company', 'Роснефть'] }),
  entry('6', 'Αλέξανδρος ΠΑΠΑΔΟΠΟΥΛΟΣ', { aliases: ['Alexandros Papadopoulos'] }),
  entry('7', 'Maria GONZALEZ'),
);

const top = (name: string, more: Partial<NameQuery> = {}) => index.screen({ name, minScore: 0.5, ...more })[0];
const scoreOf = (name: string, entryId: string, more: Partial<NameQuery> = {}) =>
  index.screen({ name, minScore: 0, ...more }).find((hit) => hit.entryId === entryId)?.score ?? 0;

describe('nameTokens', () => {
  it('transliterates, lower-cases, drops punctuation and titles', () => {
    expect(nameTokens("Dr. José O'Brien-García")).toEqual(['jose', 'obrien', 'garcia']);
    expect(nameTokens('Сергей Иванов')).toEqual(['sergey', 'ivanov']);
    expect(nameTokens('Αλέξανδρος')).toEqual(['alexandros']);
    expect(nameTokens('  ')).toEqual([]);
  });
});

describe('SanctionsIndex.screen', () => {
  it('finds an exact name with score 1, whatever the case, punctuation and token order', () => {
    expect(top('Saddam Hussein')).toMatchObject({ entryId: '1', score: 1, matchedName: 'HUSSEIN, Saddam' });
    expect(top('hussein saddam')).toMatchObject({ entryId: '1', score: 1 });
  });

  it('matches an entity whose list name spells its legal form out, by the abbreviation a payment uses', () => {
    const entities = indexOf(
      entry('20', 'Joint Stock Company Example Arms', { kind: 'entity' }),
      entry('21', 'PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA', { kind: 'entity' }),
      entry('22', 'LIMITED LIABILITY COMPANY SOVFRAKHT', { kind: 'entity' }),
    );
    const best = (name: string) => entities.screen({ name, minScore: 0.9 })[0];
    expect(best('Example Arms JSC')).toMatchObject({ entryId: '20' });
    expect(best('AO Example Arms')).toMatchObject({ entryId: '20' });
    expect(best('Sberbank of Russia PJSC')).toMatchObject({ entryId: '21' });
    expect(best('Sovfrakht LLC')).toMatchObject({ entryId: '22' });
  });

  it('finds a hyphenated listed name written joined, naming the list\'s spelling, and counts the name once', () => {
    const listed = indexOf(entry('30', 'AL-ZAWAHIRI, Ayman'), entry('31', 'ABDUL-RAHMAN, Khalid'), entry('32', 'Jean-Pierre BEMBA GOMBO'));
    const best = (name: string) => listed.screen({ name, minScore: 0.9 })[0];
    expect(best('Ayman Alzawahiri')).toMatchObject({ entryId: '30', matchedName: 'AL-ZAWAHIRI, Ayman', score: 1 });
    expect(best('Ayman al-Zawahiri')).toMatchObject({ entryId: '30', score: 1 });
    expect(best('Khalid Abdulrahman')).toMatchObject({ entryId: '31', score: 1 });
    expect(best('Jeanpierre Bemba Gombo')).toMatchObject({ entryId: '32' });
    expect(listed.screen({ name: 'Ayman Alzawahiri', minScore: 0 }).filter((hit) => hit.entryId === '30')).toHaveLength(1);
    expect(listed.nameCount).toBe(3);
  });

  it('matches through aliases and names the alias', () => {
    expect(top('Saddam Hussein Al Tikriti')).toMatchObject({ entryId: '1', matchedName: 'Saddam Hussein al-Tikriti' });
    expect(top('Rosneft Oil Company')).toMatchObject({ entryId: '5', score: 1 });
  });

  it('matches transliterations from other scripts and between Latin spellings', () => {
    expect(scoreOf('Сергей Викторович Иванов', '2')).toBeGreaterThanOrEqual(0.9);
    expect(scoreOf('Роснефть', '5')).toBe(1);
    expect(scoreOf('Mohammed Youssef Abdelrahman', '3')).toBeGreaterThanOrEqual(0.9);
    expect(scoreOf('Alexandros Papadopoulos', '6')).toBe(1);
    expect(scoreOf('Αλεξανδρος Παπαδοπουλος', '6')).toBeGreaterThanOrEqual(0.95);
  });

  it('matches typos and initials', () => {
    expect(scoreOf('Sadam Husein', '1')).toBeGreaterThanOrEqual(0.9);
    expect(scoreOf('Sergei Ivnaov', '2')).toBeGreaterThanOrEqual(0.85);
    expect(scoreOf('J. M. Smith', '4')).toBeGreaterThanOrEqual(0.9);
    expect(scoreOf('J. Michael Smith', '4')).toBeGreaterThanOrEqual(0.9);
  });

  it('puts a name missing one token (a middle name) just under 0.9, where an agreeing date of birth lifts it', () => {
    expect(scoreOf('John Smith', '4')).toBeCloseTo(0.89, 5);
    expect(scoreOf('Sergei Ivanov', '2')).toBeCloseTo(0.89, 5);
    expect(scoreOf('Sergei Ivanov', '2', { birthDate: '1960-01-01' })).toBeCloseTo(0.94, 5);
  });

  it('does not match a shared surname alone, or different people who share a token', () => {
    expect(scoreOf('Smith', '4')).toBeLessThan(0.9);
    expect(scoreOf('Jane Smith', '4')).toBeLessThan(0.9);
    expect(scoreOf('Maria Fernandez', '7')).toBeLessThan(0.9);
    expect(index.screen({ name: 'Ada Lovelace', minScore: 0.5 })).toEqual([]);
    expect(index.screen({ name: '', minScore: 0 })).toEqual([]);
  });

  it('raises the score for an agreeing date of birth and country, lowers it for differing ones', () => {
    const plain = scoreOf('Sergey Viktorovich Ivanov', '2');
    expect(scoreOf('Sergey Viktorovich Ivanov', '2', { birthDate: '1960-05-01', country: 'RU' })).toBeCloseTo(Math.min(1, plain + 0.08), 5);
    expect(scoreOf('Sergey Viktorovich Ivanov', '2', { birthDate: '1961-02-02' })).toBeCloseTo(plain, 5);
    expect(scoreOf('Sergey Viktorovich Ivanov', '2', { birthDate: '1985-05-01', country: 'GB' })).toBeCloseTo(plain - 0.2, 5);
    expect(top('Sergey Viktorovich Ivanov', { birthDate: '1985-05-01', country: 'GB' }).notes).toEqual(['date of birth differs', 'country differs']);
  });

  it('returns nothing under the minimum score, and only the lists asked for', () => {
    expect(index.screen({ name: 'Sadam Husein', minScore: 0.999 })).toEqual([]);
    expect(index.screen({ name: 'Saddam Hussein', minScore: 0.9, sources: new Set(['UN'] as const) })).toEqual([]);
  });

  it('counts a query token\'s letters past 255 of one kind (the shortcut that turns unlike tokens away undercounted them)', () => {
    const long = indexOf(entry('l', `B${'a'.repeat(299)}`));
    expect(long.screen({ name: 'a'.repeat(300), minScore: 0.9 }).map((hit) => hit.entryId)).toEqual(['l']);
  });

  it('is empty before any list is loaded', () => {
    expect(SanctionsIndex.empty().screen({ name: 'Saddam Hussein', minScore: 0 })).toEqual([]);
  });
});

describe('SanctionsIndex.top', () => {
  // Five entries a common name hits, one of them with a differing birth date and country.
  const many = indexOf(
    entry('a', 'Ali HASSAN'),
    entry('b', 'Hassan ALI', { aliases: ['Ali Hasan'] }),
    entry('c', 'Ali Hasan', { birthDates: ['1950'], countries: ['IQ'] }),
    entry('d', 'Alí Hassán'),
    entry('e', 'A. Hassan'),
    entry('f', 'John SMITH'),
  );
  const queries: NameQuery[] = [
    { name: 'Ali Hassan', minScore: 0.9 },
    { name: 'Ali Hassan', minScore: 0.8, birthDate: '1990', country: 'GB' },
    { name: 'A Hasan', minScore: 0.85 },
    { name: 'Nobody Known', minScore: 0.9 },
  ];

  it('gives the best hits as screen ranks them, and how many there are in all', () => {
    for (const query of queries) {
      const all = many.screen(query);
      for (const limit of [0, 1, 2, Infinity]) expect(many.top(query, limit)).toEqual({ hits: all.slice(0, limit), total: all.length });
    }
    expect(many.top(queries[0], 1).total).toBeGreaterThanOrEqual(4);
  });

  it('leaves out, from the hits and the count, the entries it is told to', () => {
    const all = many.screen(queries[0]);
    const excluded = new Set([all[0].entryId, all[2].entryId]);
    const kept = all.filter((hit) => !excluded.has(hit.entryId));
    const asked: string[] = [];
    const result = many.top(queries[0], 1, (source, entryId) => {
      asked.push(`${source}:${entryId}`);
      return excluded.has(entryId);
    });
    expect(result).toEqual({ hits: [kept[0]], total: kept.length });
    expect(asked.sort()).toEqual(all.map((hit) => `OFAC-SDN:${hit.entryId}`).sort());
  });

  it('ranks equal scores by load order: between entries the one loaded first, within an entry its primary name before an alias', () => {
    const twins = indexOf(
      entry('later-alias', 'Omar Farouk Khalil', { aliases: ['Omar Khalil'] }),
      entry('first', 'Omar Khalil'),
      entry('second', 'KHALIL, Omar'),
      entry('alias-first', 'Omar Khalil', { aliases: ['Khalil Omar'] }),
    );
    const { hits, total } = twins.top({ name: 'Omar Khalil', minScore: 0.9 }, 3);
    expect(total).toBe(4);
    expect(hits.map((hit) => [hit.entryId, hit.matchedName, hit.score])).toEqual([
      ['later-alias', 'Omar Khalil', 1],
      ['first', 'Omar Khalil', 1],
      ['second', 'KHALIL, Omar', 1],
    ]);
    expect(twins.top({ name: 'Omar Khalil', minScore: 0.9 }, 4).hits[3]).toMatchObject({ entryId: 'alias-first', matchedName: 'Omar Khalil' });
  });

  it('reports the evidence of the hits it gives, as screen does', () => {
    const [best] = many.top({ name: 'Ali Hasan', minScore: 0.7, birthDate: '1990', country: 'GB' }, 1).hits;
    const screened = many.screen({ name: 'Ali Hasan', minScore: 0.7, birthDate: '1990', country: 'GB' });
    expect(best).toEqual(screened[0]);
    expect(screened.find((hit) => hit.entryId === 'c')?.notes).toEqual(['date of birth differs', 'country differs']);
  });
});

describe('names of many tokens', () => {
  it('indexes and scores a name at the token limit, of twelve tokens once the rest are cut', () => {
    const long = 'Abdul Rahman Hassan Khalid Omar Yusuf Ibrahim Tariq Jamal Karim Nabil Samir Walid Zaki';
    expect(nameTokens(long)).toHaveLength(12);
    const many = indexOf(entry('long', long), entry('short', 'Khalid OMAR'));
    const hits = many.screen({ name: long, minScore: 0.9 });
    expect(hits.map((hit) => [hit.entryId, hit.score])).toEqual([['long', 1]]);
    // one token misspelt: the twelve tokens are paired one by one again
    const [misspelt] = many.screen({ name: long.replace('Ibrahim', 'Ibrahem'), minScore: 0.9 });
    expect(misspelt?.entryId).toBe('long');
    expect(misspelt!.score).toBeGreaterThan(0.95);
    expect(misspelt!.score).toBeLessThan(1);
  });
});

describe('candidates found by one common token', () => {
  // Many names share "mikhail"; only those that can still reach the threshold are scored.
  const crowded = indexOf(
    entry('m1', 'Mikhail'),
    entry('m2', 'Viktor MIKHAIL'),
    entry('m3', 'Boris MIKHAIL', { countries: ['RU'] }),
    ...Array.from({ length: 50 }, (_, i) => entry(`x${i}`, `Mikhail PETROV${String.fromCharCode(97 + (i % 26))}${i}`)),
    entry('o1', 'Omar LUIS'),
  );
  const ids = (name: string, more: Partial<NameQuery> = {}) => crowded.screen({ name, minScore: 0.9, ...more }).map((hit) => hit.entryId).sort();
  const everyScore = (name: string, more: Partial<NameQuery> = {}) =>
    new Map(crowded.screen({ name, minScore: 0, ...more }).map((hit) => [hit.entryId, hit.score]));

  it('keeps every name that could reach the threshold: the same hits as scoring all of them', () => {
    for (const [name, more] of [['V. Mikhail', {}], ['V. Mikhail', { country: 'RU' }], ['B. Mikhail', { country: 'RU', birthDate: '1970' }], ['Mikhail', {}]] as const) {
      const all = everyScore(name, more);
      const expected = [...all].filter(([, score]) => score >= 0.9).map(([id]) => id).sort();
      expect(ids(name, more)).toEqual(expected);
    }
    expect(ids('V. Mikhail')).toEqual(['m2']);
  });

  it('finds through a common token without walking its postings: one-token names, and names holding the rarer token too', () => {
    // "mikhail" has more postings than the other query token: only its one-token names are walked.
    const found = everyScore('Mikhail Petrovc2');
    expect(found.get('x2')).toBe(1);
    expect(found.has('m1')).toBe(true);
    expect(found.has('x3')).toBe(false); // shares "mikhail" only, and has two strong tokens
    expect(everyScore('Viktor Mikhail').get('m2')).toBe(1);
    expect(ids('Viktor Mikhail')).toEqual(['m2']);
  });

  it('finds only one-token names when the other query tokens are words no listed name holds', () => {
    // "qzxwv" has no spelling in the index: no name can share two tokens, whatever holds "mikhail"
    expect(crowded.screen({ name: 'Mikhail Qzxwv', minScore: 0 }).map((hit) => hit.entryId)).toEqual(['m1']);
    expect(crowded.screen({ name: 'Qzxwv Mikhail Q7', minScore: 0, country: 'RU' }).map((hit) => hit.entryId)).toEqual(['m1']);
    expect(crowded.screen({ name: 'Qzxwv Zzkrt', minScore: 0 })).toEqual([]);
  });

  it('counts two spellings of one name in the query once: a name sharing only that one is no candidate, one sharing another token still is', () => {
    expect(crowded.screen({ name: 'Luis Omar Umar', minScore: 0.5 }).map((hit) => hit.entryId)).toEqual(['o1']);
    // "Omar Umar" alone would have let every name holding "omar" through as sharing two tokens.
    expect(crowded.screen({ name: 'Omar Umar Zetinih', minScore: 0 })).toEqual([]);
  });
});

describe('candidates found through pairs of frequent tokens', () => {
  // "muhammad", "mohammed", "hassan" and "ali" each have FREQUENT_POSTINGS postings or more: a
  // query made of them finds names through pair postings, never walking theirs.
  const filler = (given: string, i: number) => entry(`${given}${i}`, `${given} ${['ZO', 'KU', 'PE', 'VI'][i % 4]}RAN${String.fromCharCode(97 + (i % 26))}${i}`);
  const crowded = indexOf(
    ...['Muhammad', 'Mohammed', 'Hassan', 'Ali'].flatMap((given) => Array.from({ length: FREQUENT_POSTINGS }, (_, i) => filler(given, i))),
    entry('mh', 'Muhammad HASSAN'),
    entry('hm', 'Hassan MOHAMMED BELKAR'),
    entry('mz', 'Mohammed ZARKOVIC'),
    entry('h1', 'HASSAN'),
    entry('mm', 'Mohammed MOHAMMED'),
    entry('zz', 'Zarkovic ZARKOVICH'),
  );
  const ids = (name: string, minScore = 0.9) => crowded.screen({ name, minScore }).map((hit) => hit.entryId).sort();

  it('finds a name whose shared tokens are both frequent, through near spellings of each', () => {
    expect(ids('Mohamed Hasan')).toEqual(['mh']);
    expect(crowded.screen({ name: 'Mohamed Hasan', minScore: 0.9 })[0]).toMatchObject({ entryId: 'mh', matchedName: 'Muhammad HASSAN' });
    expect(ids('Hasan Muhammad Belkar')).toEqual(['hm']);
  });

  it('finds, among names sharing two of three common tokens, only those, and one-token names', () => {
    // every filler shares one of the three, and so does "Mohammed MOHAMMED" (one token, twice);
    // "Muhammad HASSAN" and "Hassan MOHAMMED BELKAR" share two; "HASSAN" is a one-token name
    expect(ids('Mohammed Ali Hassan', 0)).toEqual(['h1', 'hm', 'mh']);
  });

  it('finds a name sharing one frequent and one rare token, and not those sharing only the frequent one', () => {
    expect(ids('Mohammed Zarkovich')).toEqual(['mz']);
    expect(ids('Mohammed Zarkovich', 0)).toEqual(['mz']);
    // two spellings of one query token are one shared token, however many postings found the name
    expect(ids('Ali Zarkovich', 0)).toEqual([]);
  });

  it('counts a token near the spellings of two query tokens for one of them only, however it is reached', () => {
    // "karim" is near both "qasim" and "kareem", whose own spellings do not overlap: it counts once,
    // so a name sharing only it has one shared token, whether its own postings or a pair finds it
    const overlapping = indexOf(
      entry('ks', 'Karim SELIM'),
      entry('kk', 'Karim KARIM'),
      entry('q', 'Qasim'),
      entry('k', 'Kareem'),
      ...Array.from({ length: FREQUENT_POSTINGS }, (_, i) => filler('Karim', i)),
    );
    const found = overlapping.screen({ name: 'Qasim Kareem Kasim', minScore: 0 }).map((hit) => hit.entryId);
    expect(found).toEqual(expect.arrayContaining(['q', 'k']));
    expect(found).not.toContain('ks');
    expect(found).not.toContain('kk');
  });

  it('keeps what one query merged out of the next: spellings looked up before are as they were', () => {
    const index = indexOf(entry('q', 'Qasim'), entry('ks', 'Karim SELIM'));
    const before = index.screen({ name: 'Qasim Selim', minScore: 0 }).map((hit) => hit.entryId);
    expect(before).not.toContain('ks'); // it shares "selim" only
    // "kasim" is near both "qasim" and "karim": in this query, "karim" joins the spellings of "qasim"
    index.screen({ name: 'Qasim Kasim', minScore: 0 });
    expect(index.screen({ name: 'Qasim Selim', minScore: 0 }).map((hit) => hit.entryId)).toEqual(before);
  });

  it('keeps every name that could reach the threshold, with initials and evidence too: the same hits as scoring all of them', () => {
    const queries: (readonly [string, Partial<NameQuery>])[] = [
      ['M. Hassan', {}],
      ['Z. Mohammed Hassan', {}],
      ['Muhammad Hassan', { country: 'GB', birthDate: '1970' }],
      ['Hasan Mohammed Belkar', { country: 'GB' }],
      ['Ali Mohammed Zarkovich', { birthDate: '1980' }],
      ['M. Mohammed', {}],
      ['Hasan Mohammed B.', {}],
    ];
    for (const [name, more] of queries) {
      for (const threshold of [0.9, 0.75]) {
        const expected = crowded.screen({ name, minScore: 0, ...more }).filter((hit) => hit.score >= threshold).map((hit) => hit.entryId).sort();
        expect(crowded.screen({ name, minScore: threshold, ...more }).map((hit) => hit.entryId).sort()).toEqual(expected);
      }
    }
    expect(ids('Mohammed Mohammed')).toEqual(['mm']);
  });
});

describe('query tokens that share spellings', () => {
  // "maria" and "moreau" sound alike (MR), so their spellings overlap and one finder holds both.
  const filler = (given: string, i: number) => entry(`${given}${i}`, `${given} ${['ZO', 'KU', 'PE', 'VI'][i % 4]}TAN${String.fromCharCode(97 + (i % 26))}${i}`);
  const names = [
    entry('both', 'Moreau MARIA'),
    entry('twice', 'Mora MOREAU'),
    entry('single', 'MOREAU'),
    entry('one', 'Maria SELIM'),
    entry('du', 'DU Ranko'),
    entry('abu', 'Ahmed ABU BAKR', { birthDates: ['1971'], countries: ['IQ'] }),
  ];
  const candidates = (index: SanctionsIndex, name: string) => index.screen({ name, minScore: 0 }).map((hit) => hit.entryId).sort();

  it('finds names holding two of their spellings, or one alone, and not those sharing one of them with another strong token', () => {
    expect(candidates(indexOf(...names), 'Maria Moreau')).toEqual(['both', 'single', 'twice']);
    // the same through pair postings, when both tokens are frequent
    const crowded = indexOf(...names, ...['Maria', 'Moreau'].flatMap((given) => Array.from({ length: FREQUENT_POSTINGS }, (_, i) => filler(given, i))));
    expect(candidates(crowded, 'Maria Moreau')).toEqual(['both', 'single', 'twice']);
    // a name holding one of them and another query token shares two tokens with the query
    expect(candidates(crowded, 'Maria Moreau Selim')).toEqual(['both', 'one', 'single', 'twice']);
  });

  it('never finds names through a particle that only sounds like a strong query token', () => {
    // "du" sounds like "ta" (T): "DU Ranko" would be found by a query "Ta", and score nothing
    const index = indexOf(...names);
    expect(candidates(index, 'Ta')).toEqual([]);
    expect(candidates(index, 'Ranko Ta')).toEqual(['du']);
    // a query made of particles still finds the particles that sound like them
    expect(candidates(index, 'Da')).toEqual(['du']);
    // and a strong token still finds a particle it can pair with: "abou" is a spelling of "abu"
    expect(index.screen({ name: 'Abou Bakr', minScore: 0.9, birthDate: '1971', country: 'IQ' }).map((hit) => hit.entryId)).toEqual(['abu']);
  });
});
