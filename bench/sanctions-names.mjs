// Generated sanctions lists and a labelled set of name variants, for bench:sanctions and the matching-quality test.
// Deterministic (seeded), so that figures are comparable between runs.

/** Spellings of one name in Latin letters, as different transliteration systems and lists write it. */
const SPELLINGS = [
  ['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad'], ['Yusuf', 'Youssef', 'Yousef'], ['Ahmed', 'Ahmad'], ['Hussein', 'Husein', 'Hussain'],
  ['Osama', 'Usama'], ['Abdelrahman', 'Abdulrahman'], ['Khaled', 'Khalid'], ['Omar', 'Umar'], ['Mustafa', 'Mostafa'], ['Hassan', 'Hasan'],
  ['Qaddafi', 'Gaddafi', 'Kadhafi'], ['Nasrallah', 'Nasrullah'], ['Abdullah', 'Abdallah'], ['Ibrahim', 'Ebrahim'], ['Suleiman', 'Sulaiman', 'Soleiman'],
  ['Tariq', 'Tarek'], ['Karim', 'Kareem'], ['Rashid', 'Rasheed'], ['Jamal', 'Gamal'], ['Faisal', 'Faysal'], ['Hamid', 'Hamed'], ['Saeed', 'Said'],
];
/** Names in Cyrillic and Greek with the romanisation a list may carry (any-ascii's may differ). */
const NATIVE = [
  ['Сергей', 'Sergei'], ['Дмитрий', 'Dmitriy'], ['Алексей', 'Aleksei'], ['Евгений', 'Evgeniy'], ['Юрий', 'Yuri'], ['Андрей', 'Andrei'],
  ['Николай', 'Nikolai'], ['Михаил', 'Mikhail'], ['Александр', 'Aleksandr'], ['Владимир', 'Vladimir'], ['Игорь', 'Igor'], ['Олег', 'Oleg'],
  ['Иванов', 'Ivanov'], ['Петров', 'Petrov'], ['Смирнов', 'Smirnov'], ['Кузнецов', 'Kuznetsov'], ['Соколов', 'Sokolov'], ['Лебедев', 'Lebedev'],
  ['Козлов', 'Kozlov'], ['Новиков', 'Novikov'], ['Морозов', 'Morozov'], ['Волков', 'Volkov'], ['Зайцев', 'Zaitsev'], ['Шевченко', 'Shevchenko'],
  ['Γιώργος', 'Georgios'], ['Νίκος', 'Nikos'], ['Δημήτρης', 'Dimitris'], ['Παπαδόπουλος', 'Papadopoulos'], ['Παπαδάκης', 'Papadakis'], ['Οικονόμου', 'Oikonomou'],
];
const GIVEN = ['John', 'Maria', 'Carlos', 'Anna', 'Peter', 'Luis', 'Elena', 'James', 'Sofia', 'Pierre', 'Jose', 'Ana', 'Marco', 'Laura', 'David', 'Isabel'];
const SURNAMES = [
  'Smith', 'Garcia', 'Muller', 'Rossi', 'Martin', 'Lopez', 'Fernandez', 'Dubois', 'Schmidt', 'Silva', 'Romero', 'Moreau', 'Weber', 'Torres', 'Ricci', 'Santos',
];
const SYLLABLES = ['ka', 'ra', 'mi', 'lo', 'ne', 'ta', 'vi', 'so', 'du', 'ri', 'ba', 'ze', 'mo', 'li', 'sha', 'khan', 'dor', 'vel', 'nar', 'tin', 'gar', 'bek', 'ov', 'ich', 'en', 'as'];

export function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const capital = (word) => word[0].toUpperCase() + word.slice(1);

/**
 * A token with what it may be written as: spellings (Latin variants) and native script. Pools:
 * 0 Arabic-origin spellings, 1 Cyrillic and Greek, 2 Western, 3 invented (as many as a real list has).
 */
function token(rnd, pool, surname = false) {
  switch (pool) {
    case 0: {
      const group = pick(rnd, SPELLINGS);
      return { text: pick(rnd, group), spellings: group };
    }
    case 1: {
      const [native, latin] = pick(rnd, NATIVE);
      return { text: latin, native };
    }
    case 2:
      return { text: pick(rnd, surname ? SURNAMES : GIVEN) };
    default: {
      const n = (surname ? 2 : 1) + Math.floor(rnd() * 3);
      let word = '';
      for (let i = 0; i < n; i++) word += pick(rnd, SYLLABLES);
      return { text: capital(word) };
    }
  }
}

const givenPool = (rnd) => (rnd() < 0.3 ? 3 : Math.floor(rnd() * 3));
const surnamePool = (rnd) => (rnd() < 0.75 ? 3 : Math.floor(rnd() * 3));

/** An entry's tokens: one or two given names and a surname. */
function person(rnd) {
  const given = Array.from({ length: rnd() < 0.3 ? 2 : 1 }, () => token(rnd, givenPool(rnd)));
  return [...given, token(rnd, surnamePool(rnd), true)];
}

/**
 * `names` names in entries of one to three names (a primary and aliases), as SanctionsEntry
 * objects; `tokensOf` keeps each name's tokens for the variant generator.
 */
export function generateList(names, seed = 1) {
  const rnd = random(seed);
  const entries = [];
  const tokensOf = new Map();
  let count = 0;
  for (let id = 1; count < names; id++) {
    const people = Array.from({ length: Math.min(names - count, 1 + Math.floor(rnd() * 3)) }, () => person(rnd));
    const texts = people.map((tokens) => tokens.map((t) => t.text).join(' '));
    people.forEach((tokens, i) => tokensOf.set(texts[i], tokens));
    entries.push({ entryId: String(id), kind: 'individual', name: texts[0], aliases: texts.slice(1), birthDates: [], countries: [], programmes: [] });
    count += people.length;
  }
  return { entries, tokensOf };
}

const VARIANTS = ['transliteration', 'swapped tokens', 'initials', 'typo'];

function typo(rnd, word) {
  if (word.length < 4) return word;
  const i = 1 + Math.floor(rnd() * (word.length - 2));
  const letter = 'abcdefghiklmnorstuy'[Math.floor(rnd() * 19)];
  switch (Math.floor(rnd() * 4)) {
    case 0: return word.slice(0, i) + letter + word.slice(i + 1);
    case 1: return word.slice(0, i) + word.slice(i + 1);
    case 2: return word.slice(0, i) + letter + word.slice(i);
    default: return word.slice(0, i - 1) + word[i] + word[i - 1] + word.slice(i + 1);
  }
}

/** One variant of a listed name, or undefined when that kind does not apply to it. */
function variant(rnd, kind, tokens) {
  const texts = tokens.map((t) => t.text);
  switch (kind) {
    case 'transliteration': {
      const i = tokens.findIndex((t) => t.native || t.spellings);
      if (i < 0) return undefined;
      const t = tokens[i];
      const other = t.native ?? pick(rnd, t.spellings.filter((s) => s !== t.text));
      // a name from Cyrillic or Greek is written wholly in its script when it can be
      const all = tokens.every((x) => x.native) ? tokens.map((x) => x.native) : texts.map((x, j) => (j === i ? other : x));
      return all.join(' ');
    }
    case 'swapped tokens':
      return texts.length < 2 ? undefined : `${texts.at(-1).toUpperCase()}, ${texts.slice(0, -1).join(' ')}`;
    case 'initials':
      return texts.length < 2 ? undefined : [...texts.slice(0, -1).map((g) => `${g[0]}.`), texts.at(-1)].join(' ');
    default: {
      const i = texts.reduce((best, t, j) => (t.length > texts[best].length ? j : best), 0);
      return texts.map((t, j) => (j === i ? typo(rnd, t) : t)).join(' ');
    }
  }
}

/** Spellings of one name count as one: a "negative" that only respells a listed name is no negative. */
const CANONICAL = new Map(SPELLINGS.flatMap((group) => group.map((spelling) => [spelling.toLowerCase(), group[0].toLowerCase()])));
const tokenKey = (name) =>
  name.toLowerCase().split(/[^a-z]+/).filter(Boolean).map((t) => CANONICAL.get(t) ?? t).sort().join(' ');

/** A listed name with one token replaced by an unrelated one: a different person who shares the rest. */
function sharingAllButOne(rnd, tokens) {
  const i = Math.floor(rnd() * tokens.length);
  const used = new Set(tokens.flatMap((t) => [t.text, ...(t.spellings ?? [])]));
  for (;;) {
    const last = i === tokens.length - 1;
    const other = token(rnd, last ? surnamePool(rnd) : givenPool(rnd), last);
    if (!used.has(other.text) && !(other.spellings ?? []).some((s) => used.has(s))) return tokens.map((t, j) => (j === i ? other.text : t.text)).join(' ');
  }
}

/**
 * `positives` variants of listed names (labelled with their entry) in equal shares of each kind,
 * and `negatives` names on no list: half a listed name with one token replaced by an unrelated
 * one (another person sharing the rest: the hard case), half a common given name with a surname
 * no list has.
 */
export function labelledSet({ entries, tokensOf }, positives, negatives, seed = 2) {
  const rnd = random(seed);
  const cases = [];
  const names = entries.flatMap((e) => [e.name, ...e.aliases]);
  const listed = new Set(names.map(tokenKey));
  const vocabulary = new Set(names.flatMap((n) => n.toLowerCase().split(' ')));
  for (let k = 0; cases.length < positives; k++) {
    const entry = entries[Math.floor(rnd() * entries.length)];
    const name = pick(rnd, [entry.name, ...entry.aliases]);
    const kind = VARIANTS[k % VARIANTS.length];
    const query = variant(rnd, kind, tokensOf.get(name));
    if (query && query !== name) cases.push({ query, kind, entryId: entry.entryId, listedName: name });
  }
  for (let k = 0; cases.length < positives + negatives; k++) {
    let query;
    if (k % 2 === 0) query = sharingAllButOne(rnd, tokensOf.get(pick(rnd, names)));
    else {
      const surname = token(rnd, 3, true).text;
      if (vocabulary.has(surname.toLowerCase())) continue;
      query = `${token(rnd, givenPool(rnd)).text} ${surname}`;
    }
    if (!listed.has(tokenKey(query))) cases.push({ query, kind: k % 2 === 0 ? 'not listed: shares all but one token' : 'not listed: unknown surname' });
  }
  return cases;
}

/** Recall (variants that hit their entry) and precision (alerts that were right), overall and per kind. */
export function evaluate(cases, screen) {
  const kinds = new Map();
  let tp = 0, fn = 0, fp = 0, tn = 0;
  for (const c of cases) {
    const hits = screen(c.query);
    const stats = kinds.get(c.kind) ?? { cases: 0, found: 0 };
    stats.cases += 1;
    if (c.entryId !== undefined) {
      const found = hits.some((h) => h.entryId === c.entryId);
      if (found) tp += 1; else fn += 1;
      if (found) stats.found += 1;
      // an alert that names only other entries is a false one too
      if (!found && hits.length > 0) fp += 1;
    } else if (hits.length > 0) {
      fp += 1;
      stats.found += 1;
    } else tn += 1;
    kinds.set(c.kind, stats);
  }
  return { recall: tp / (tp + fn), precision: tp / (tp + fp), tp, fn, fp, tn, kinds: Object.fromEntries(kinds) };
}
