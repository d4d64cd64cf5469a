// The sanctions index is built only while the active rule set has a sanctions-name rule: a rule set without one never loads the names; activating one with one loads them on every replica, and going back drops them.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { replaceSanctionsList } from '../src/adapters/persistence/sanctions-list.loader';
import { SANCTIONS_FORMATS } from '../src/adapters/sanctions/formats/sanctions-formats';
import { analystCall, ANALYST_TOKENS, ANALYSTS } from './support/analyst-api';
import { httpCall } from './support/http';
import { listDirectory, OFAC_ALT_CSV, OFAC_SDN_CSV, write } from './sanctions/list-files';
import { postValidate, startTestApp, TestApp } from './support/test-app';
import { readUntil } from './support/waiting';

const AMOUNT_ONLY = `
rules:
  - { id: large-amount, type: amount-at-least, threshold: "10000", status: PENDING_EXTERNAL_APPROVAL, reason: "Amount {amount}" }
`;
const WITH_SANCTIONS = `${AMOUNT_ONLY}  - { id: sanctions, type: sanctions-name, threshold: 0.9, status: PENDING_EXTERNAL_APPROVAL, reason: "{name} matches {entryId}" }
`;

describe('the sanctions index, built only for a rule set that screens names', () => {
  const dir = listDirectory();
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { ANALYST_TOKENS, RULES_FILE: write(dir, 'rules.yaml', AMOUNT_ONLY) };
    a = await startTestApp({ env });
    const sdn = write(dir, 'sdn.csv', OFAC_SDN_CSV);
    write(dir, 'alt.csv', OFAC_ALT_CSV);
    const client = new Client({ connectionString: a.db.url });
    await client.connect();
    try {
      await replaceSanctionsList(client, SANCTIONS_FORMATS['ofac-csv'].read(sdn, {}), { format: 'ofac-csv', files: [sdn] });
    } finally {
      await client.end();
    }
    // The second replica starts with the list already in PostgreSQL: it still does not read it.
    b = await startTestApp({ env, db: a.db });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  const index = async (on: TestApp) => {
    const { text } = await httpCall(on.server, 'GET', '/metrics');
    const sample = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    return { needed: sample('tm_sanctions_index_needed'), built: sample('tm_sanctions_index_built'), lists: sample('tm_sanctions_lists_loaded'), names: sample('tm_sanctions_names_indexed') };
  };
  const validate = async (on: TestApp, name: string) => {
    const transactionId = randomUUID();
    const call = await postValidate(on.server, { transactionId, amount: '120.00', currency: 'GBP', customerId: 'cus-1', beneficiary: { name, country: 'GB' } });
    const [row] = await a.db.query<{ rule_set_version: number | null }>('SELECT rule_set_version FROM transactions WHERE id = $1', [transactionId]);
    return { status: call.body.status as string, version: row?.rule_set_version };
  };
  const EMPTY = { needed: 0, built: 0, lists: 0, names: 0 };

  it('loads no name on either replica while the active rule set has no sanctions-name rule', async () => {
    for (const replica of [a, b]) {
      await expect(index(replica)).resolves.toEqual(EMPTY);
      await expect(validate(replica, 'Saddam Hussein Al Tikriti')).resolves.toEqual({ status: 'APPROVED', version: 1 });
    }
  });

  it('builds the index on every replica when a version with one is activated, which then screens with it; going back drops it', async () => {
    const stored = await httpCall(a.server, 'POST', '/rules/versions', { headers: { authorization: `Bearer ${ANALYSTS.alice}`, 'content-type': 'application/yaml' }, body: WITH_SANCTIONS });
    expect(stored).toMatchObject({ status: 201, body: { version: 2 } });
    expect((await analystCall(a.server, 'POST', '/rules/versions/2/activate', { token: ANALYSTS.carol })).status).toBe(200);
    for (const replica of [a, b]) {
      // Until its index is built, a replica screens with the version before, and the verdict says so:
      // never version 2 letting the name through unscreened.
      const answers = new Set<string>();
      await readUntil(
        async () => answers.add(JSON.stringify(await validate(replica, 'Saddam Hussein Al Tikriti'))),
        () => answers.has(JSON.stringify({ status: 'PENDING_EXTERNAL_APPROVAL', version: 2 })),
      );
      expect([...answers].filter((answer) => answer !== JSON.stringify({ status: 'APPROVED', version: 1 }))).toEqual([JSON.stringify({ status: 'PENDING_EXTERNAL_APPROVAL', version: 2 })]);
      await expect(index(replica)).resolves.toEqual({ needed: 1, built: 1, lists: 1, names: 6 });
    }

    expect((await analystCall(b.server, 'POST', '/rules/versions/1/activate', { token: ANALYSTS.carol })).status).toBe(200);
    for (const replica of [a, b]) {
      await expect(readUntil(() => index(replica), (now) => now.built === 0)).resolves.toEqual(EMPTY);
      await expect(validate(replica, 'Saddam Hussein Al Tikriti')).resolves.toEqual({ status: 'APPROVED', version: 1 });
    }
  });

  it('holds the index while a backtest of a version with a sanctions-name rule runs, and drops it after', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const started = await analystCall(a.server, 'POST', '/rules/backtest', { token: ANALYSTS.alice, body: { version: 2, from, to } });
    expect(started.status).toBe(202);
    const done = await readUntil(() => analystCall(a.server, 'GET', `/rules/backtest/${started.body.id}`, { token: ANALYSTS.vic }), (call) => ['DONE', 'FAILED'].includes(call.body.state), 20_000);
    expect(done.body).toMatchObject({ state: 'DONE', error: null });
    expect(done.body.result.rulesFired).toMatchObject({ sanctions: expect.any(Number) });
    expect(done.body.result.rulesFired.sanctions).toBeGreaterThan(0);
    await expect(readUntil(() => index(a), (now) => now.built === 0)).resolves.toEqual(EMPTY);
  });
});
