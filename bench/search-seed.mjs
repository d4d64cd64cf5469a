// A queue of held cases for bench:search, stored with two INSERT ... SELECT statements (like bench.mjs's seed).
//
// Every transaction is a review case (the hardest queue to search: 1 M cases, 10% pending by default).
// Attributes come from independent hashes of the row number, so that filters do not line up by
// accident (a name that never occurs among pending cases, say): 30 given names; 10% of surnames
// Smith, the rest three syllables out of 26 (17,576 surnames); 50,000 source accounts, 20,000
// customers; EUR 60%, GBP 27%, USD 10%, CHF 3%, GOLD 0.1%; amounts 1.00 to 100,000.99; one case
// held every 30 s, the newest now.
import pg from 'pg';

const GIVEN = ['John', 'Maria', 'Carlos', 'Anna', 'Peter', 'Luis', 'Elena', 'James', 'Sofia', 'Pierre', 'Jose', 'Ana', 'Marco', 'Laura', 'David',
  'Isabel', 'Ahmed', 'Olga', 'Chen', 'Priya', 'Kwame', 'Yuki', 'Fatima', 'Lars', 'Ingrid', 'Pavel', 'Amara', 'Diego', 'Hana', 'Omar'];
const SYLLABLES = ['ka', 'ra', 'mi', 'lo', 'ne', 'ta', 'vi', 'so', 'du', 'ri', 'ba', 'ze', 'mo', 'li', 'sha', 'khan', 'dor', 'vel', 'nar', 'tin', 'gar', 'bek', 'ov', 'ich', 'en', 'as'];
const BANKS = ['NWBK', 'BARC', 'HBUK', 'LOYD', 'MIDL'];

/** $1 rows, $2 given names, $3 syllables, $4 bank codes, $5 one case in how many pending (1: all). */
const TRANSACTIONS = `
  INSERT INTO transactions (id, direction, state, amount, currency, source_account_id, customer_id, reference, beneficiary, payload, reasons,
                            provider, screening_outcome, received_at, claimed_at, screened_at, updated_at)
  SELECT v.id, 'OUTBOUND', v.status, v.amount, v.currency, 'acc-' || (h.a % 50000), 'cust-' || (h.b % 20000), 'INV-' || lpad((h.c % 1000000)::text, 6, '0'),
         jsonb_build_object('name', v.name, 'iban', v.iban, 'country', 'GB'), jsonb_build_object('transactionId', v.id), '["Amount at or above 10000"]',
         'rules', 'DECIDED', v.at, v.at, v.at, v.at
    FROM generate_series(1, $1::int) AS g,
         LATERAL (SELECT (hashint4extended(g, 1) & 9223372036854775807) AS a, (hashint4extended(g, 2) & 9223372036854775807) AS b, (hashint4extended(g, 3) & 9223372036854775807) AS c,
                         (hashint4extended(g, 4) & 9223372036854775807) AS d, (hashint4extended(g, 5) & 9223372036854775807) AS e, (hashint4extended(g, 6) & 9223372036854775807) AS f,
                         (hashint4extended(g, 7) & 9223372036854775807) AS k, (hashint4extended(g, 8) & 9223372036854775807) AS m) h,
         LATERAL (SELECT md5('search-bench-' || g)::uuid::text AS id,
                         CASE WHEN h.d % $5::int = 0 THEN 'PENDING_EXTERNAL_APPROVAL' WHEN h.d % 10 = 1 THEN 'REJECTED' ELSE 'APPROVED' END AS status,
                         round((h.e % 10000000) / 100.0 + 1, 2) AS amount,
                         CASE WHEN h.f % 1000 = 0 THEN 'GOLD' WHEN h.f % 100 < 3 THEN 'CHF' WHEN h.f % 100 < 13 THEN 'USD' WHEN h.f % 100 < 40 THEN 'GBP' ELSE 'EUR' END AS currency,
                         ($2::text[])[h.k % 30 + 1] || ' ' ||
                           CASE WHEN h.k / 30 % 10 = 0 THEN 'Smith'
                                ELSE initcap(($3::text[])[h.m % 26 + 1] || ($3::text[])[h.m / 26 % 26 + 1] || ($3::text[])[h.m / 676 % 26 + 1]) END AS name,
                         'GB' || lpad((h.a % 97)::text, 2, '0') || ($4::text[])[h.b % 5 + 1] || lpad((h.c % 100000000000000)::text, 14, '0') AS iban,
                         now() - ($1::int - g) * interval '30 seconds' AS at) v`;

/** Each transaction held: its review case, with the search columns the service fills when it holds one. */
const CASES = `
  INSERT INTO review_cases (transaction_id, direction, status, opened_at, decided_at, amount, currency, source_account_id, customer_id,
                            beneficiary_iban, beneficiary_name, search_text)
  SELECT id, direction, state, screened_at, CASE WHEN state <> 'PENDING_EXTERNAL_APPROVAL' THEN screened_at + interval '1 hour' END,
         amount, currency, source_account_id, customer_id, normalised_iban(beneficiary ->> 'iban'), lower(beneficiary ->> 'name'),
         review_case_search_text(id, reference, beneficiary)
    FROM transactions`;

/** Stores `rows` held transactions on the (migrated) database at `url`, one in `pendingEvery` still pending; resolves to the seconds it took. */
export async function seedQueue(url, rows, pendingEvery = 10) {
  const started = Date.now();
  // Its own client, with no statement timeout: a million rows with their trigram indexes take minutes.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(TRANSACTIONS, [rows, GIVEN, SYLLABLES, BANKS, pendingEvery]);
    await client.query(CASES);
    await client.query('VACUUM (ANALYZE) transactions');
    await client.query('VACUUM (ANALYZE) review_cases');
  } finally {
    await client.end();
  }
  return (Date.now() - started) / 1000;
}
