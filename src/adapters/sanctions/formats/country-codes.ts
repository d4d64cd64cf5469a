// Country names as the lists publish them ("Iran", "Korea, North", "Russian Federation") to ISO 3166-1 alpha-2.

/** Forms the lists use that Node's English region names do not give. */
const ALIASES: Record<string, string> = {
  'korea north': 'KP',
  'north korea': 'KP',
  'democratic peoples republic of korea': 'KP',
  'korea democratic peoples republic of': 'KP',
  'korea south': 'KR',
  'south korea': 'KR',
  'republic of korea': 'KR',
  'russian federation': 'RU',
  'iran islamic republic of': 'IR',
  'islamic republic of iran': 'IR',
  'syrian arab republic': 'SY',
  'burma': 'MM',
  'congo democratic republic of the': 'CD',
  'democratic republic of the congo': 'CD',
  'congo republic of the': 'CG',
  'republic of the congo': 'CG',
  'united states of america': 'US',
  'usa': 'US',
  'uk': 'GB',
  'united kingdom of great britain and northern ireland': 'GB',
  'great britain': 'GB',
  'viet nam': 'VN',
  'lao peoples democratic republic': 'LA',
  'venezuela bolivarian republic of': 'VE',
  'bolivia plurinational state of': 'BO',
  'tanzania united republic of': 'TZ',
  'moldova republic of': 'MD',
  'palestinian territory occupied': 'PS',
  'west bank': 'PS',
  'gaza': 'PS',
  'turkiye': 'TR',
  'cote divoire': 'CI',
  'ivory coast': 'CI',
  'czech republic': 'CZ',
  'macedonia': 'MK',
  'swaziland': 'SZ',
  'cabo verde': 'CV',
  'holy see': 'VA',
  'crimea region of ukraine': 'UA',
  'myanmar': 'MM',
  'palestine': 'PS',
  'state of palestine': 'PS',
  'occupied palestinian territory': 'PS',
  'united republic of tanzania': 'TZ',
  'republic of moldova': 'MD',
};

let byName: Map<string, string> | undefined;

function key(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    // "People's" is "peoples", as the aliases spell it, not "people s".
    .replace(/['\u2019]/g, '')
    .replace(/[^a-z ]+/g, ' ')
    .replace(/\bthe\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function table(): Map<string, string> {
  if (byName) return byName;
  byName = new Map(Object.entries(ALIASES).map(([name, code]) => [key(name), code]));
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      const name = names.of(code);
      // A retired code (YD, DD, CS, RH...) has its successor's name: the name means the successor.
      if (name && !byName.has(key(name))) byName.set(key(name), canonical(code));
    }
  }
  return byName;
}

/** The alpha-2 code of a country as a list names it, or an alpha-2 code as given; undefined when unknown. */
export function countryCode(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  if (!trimmed) return undefined;
  if (/^[A-Za-z]{2}$/.test(trimmed)) return canonical(trimmed.toUpperCase());
  return table().get(key(trimmed));
}

/** A region code as it stands now: a retired one as its successor (YD as YE, UK as GB), others as given. */
function canonical(code: string): string {
  try {
    return new Intl.Locale(`und-${code}`).region ?? code;
  } catch {
    return code;
  }
}

/** Codes of every country named in a text that lists several ("Iran; Iraq", "Russia|Ukraine"). */
export function countryCodes(values: Iterable<string | undefined>): string[] {
  const codes = new Set<string>();
  for (const value of values) {
    for (const part of value?.split(/[;|\n]/) ?? []) {
      const code = countryCode(part.replace(/\(.*?\)/g, ''));
      if (code) codes.add(code);
    }
  }
  return [...codes];
}
