// Dates of birth as the lists publish them, to `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (as precise as given).

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06',
  jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};

const pad = (n: string) => n.padStart(2, '0');

/**
 * One published date: ISO (`1960-07-10`, `1960-07-10T00:00:00`), day-first numeric (`10/07/1960`,
 * with `00`, `dd` or `mm` for an unknown day or month as the UK list writes it), OFAC's `10 Jul 1960`,
 * `Jul 1960`, `circa 1960`, or a bare year. Undefined when nothing usable is there.
 */
export function birthDate(raw: string | undefined): string | undefined {
  const text = raw?.trim().toLowerCase().replace(/^(circa|approximately|approx\.?|about)\s+/, '');
  if (!text) return undefined;
  let m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:t.*)?$/.exec(text);
  if (m) return [m[1], m[2], m[3]].filter((part) => part && part !== '00').join('-');
  // An unknown day or month may also be a placeholder: the UK list writes "dd/mm/1984".
  m = /^(\d{1,2}|dd|xx)[/.-](\d{1,2}|mm|xx)[/.-](\d{4})$/.exec(text);
  if (m) {
    const [, day, month, year] = m.map((part) => (/^[a-z]+$/.test(part ?? '') ? '0' : part)) as [string, string, string, string];
    if (Number(month) === 0) return year;
    return Number(day) === 0 ? `${year}-${pad(month)}` : `${year}-${pad(month)}-${pad(day)}`;
  }
  m = /^(?:(\d{1,2})\s+)?([a-z]{3})[a-z]*\.?\s+(\d{4})$/.exec(text);
  if (m && MONTHS[m[2]]) return m[1] ? `${m[3]}-${MONTHS[m[2]]}-${pad(m[1])}` : `${m[3]}-${MONTHS[m[2]]}`;
  return undefined;
}

/** Every year of an inclusive range, for lists that publish "born between 1958 and 1962"; at most 10. */
export function birthYears(from: string | undefined, to: string | undefined): string[] {
  const start = Number(from);
  const end = Number(to);
  if (!Number.isInteger(start) || !Number.isInteger(end) || end < start || end - start > 10) return [];
  return Array.from({ length: end - start + 1 }, (_, i) => String(start + i));
}
