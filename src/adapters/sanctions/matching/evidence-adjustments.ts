// Date of birth and country, where the transaction gives them, move a name score up or down.

/** Agreeing dates of birth (to the precision both give) raise the score... */
export const BIRTH_DATE_AGREES = 0.05;
/** ...and dates more than a year apart from every listed one lower it. */
export const BIRTH_DATE_DIFFERS = -0.15;
/** The transaction's country among the entry's countries (nationality, citizenship, address). */
export const COUNTRY_AGREES = 0.03;
/** The entry names countries, and the transaction's is not one of them. */
export const COUNTRY_DIFFERS = -0.05;
/** The most the evidence can add: names scoring this much under a threshold are never worth adjusting. */
export const MOST_ADDED = BIRTH_DATE_AGREES + COUNTRY_AGREES;

export interface Evidence {
  /** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. */
  readonly birthDate?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  readonly country?: string;
}

export interface Adjusted {
  readonly score: number;
  readonly notes: string[];
}

export function adjustForEvidence(nameScore: number, evidence: Evidence, listed: ListedEvidence): Adjusted {
  const notes: string[] = [];
  return { score: adjust(nameScore, evidence, listed, notes), notes };
}

/** adjustForEvidence's score alone, with nothing allocated: what screening compares before it knows which entries it reports. */
export function adjustedScore(nameScore: number, evidence: Evidence, listed: ListedEvidence): number {
  return adjust(nameScore, evidence, listed, undefined);
}

/** What a listed entry gives to compare with. */
export interface ListedEvidence {
  readonly birthDates: readonly string[];
  readonly countries: readonly string[];
}

function adjust(nameScore: number, evidence: Evidence, listed: ListedEvidence, notes: string[] | undefined): number {
  let score = nameScore;
  if (evidence.birthDate && listed.birthDates.length > 0) {
    if (listed.birthDates.some((date) => datesAgree(evidence.birthDate!, date))) {
      score += BIRTH_DATE_AGREES;
      notes?.push('date of birth agrees');
    } else if (!listed.birthDates.some((date) => Math.abs(year(date) - year(evidence.birthDate!)) <= 1)) {
      score += BIRTH_DATE_DIFFERS;
      notes?.push('date of birth differs');
    }
  }
  if (evidence.country && listed.countries.length > 0) {
    const agrees = listed.countries.includes(evidence.country);
    score += agrees ? COUNTRY_AGREES : COUNTRY_DIFFERS;
    notes?.push(agrees ? 'country agrees' : 'country differs');
  }
  return Math.min(1, Math.max(0, score));
}

const year = (date: string) => Number(date.slice(0, 4));

/** Equal on every part both give: "1960" agrees with "1960-07-10", "1960-07" does not agree with "1960-08-01". */
function datesAgree(a: string, b: string): boolean {
  const length = Math.min(a.length, b.length);
  return a.slice(0, length) === b.slice(0, length);
}
