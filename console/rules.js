// The rule sets: the active one, every stored version (activate one), a new version from YAML, and a backtest of any of them.
import { getJson, request, send } from './api.js';
import { badge, facts, h, loadInto, loadingBox, notice, onClickShowingProblems, onSubmitShowingProblems, replace, table, time } from './dom.js';
import { can, principal } from './principal.js';

const DAY_MS = 86_400_000;

export async function renderRules(view, message = null) {
  const heading = h('h1', { tabindex: '-1' }, 'Rules');
  const results = loadingBox();
  replace(view.main, heading, message, results);
  view.focus(message ?? heading);
  const loaded = await loadInto(view, results, () => Promise.all([getJson('/rules'), getJson('/rules/versions'), principal()]));
  if (!loaded) return;
  // Offered by role, as the service allows: storing and backtesting to analysts, activating to admins.
  const [active, versions, me] = loaded;
  replace(
    results,
    h('h2', { id: 'active-version' }, `Active: version ${active.version}`),
    facts([
      ['Stored by', h('span', {}, `${active.createdBy} `, time(active.createdAt))],
      ['Activated by', h('span', {}, `${active.activatedBy ?? '—'} `, time(active.activatedAt))],
    ]),
    table(null, ['Rule', 'Type', 'Outcome', 'Reason'], active.rules.map((rule) => h('tr', { 'data-rule': rule.id }, h('td', {}, rule.id), h('td', {}, rule.type), h('td', {}, badge(rule.status)), h('td', {}, rule.reason))), { className: 'data rules' }),
    h('h2', {}, 'Versions'),
    table(null, ['Version', 'State', 'Stored', 'Last activated', ''], versions.map((version) => versionRow(view, version, can(me, 'admin'))), { className: 'data versions' }),
    can(me, 'analyst')
      ? [backtestForm(view, versions), newVersionForm(view)]
      : h('p', { class: 'muted', id: 'read-only' }, `Your role (${me?.role ?? 'unknown'}) can read the rule sets and backtests but not store, backtest or activate a version.`),
  );
}

function versionRow(view, version, mayActivate) {
  const activate = version.active
    ? h('span', { class: 'muted' }, 'in use')
    : mayActivate
      ? h('button', { type: 'button', class: 'secondary' }, `Activate version ${version.version}`)
      : null;
  const row = h(
    'tr',
    { 'data-version': String(version.version) },
    h('td', {}, String(version.version)),
    h('td', {}, version.active ? badge('ACTIVE', 'Active') : 'Stored'),
    h('td', {}, `${version.createdBy} `, time(version.createdAt)),
    h('td', {}, version.activatedBy ? h('span', {}, `${version.activatedBy} `, time(version.activatedAt)) : h('span', { class: 'muted' }, 'never')),
    h('td', {}, activate),
  );
  if (mayActivate && !version.active) {
    onClickShowingProblems(activate, row, 5, async () => {
      await request('POST', `/rules/versions/${version.version}/activate`);
      if (view.current()) await renderRules(view, notice(`Version ${version.version} is active on every replica.`));
    });
  }
  return row;
}

function backtestForm(view, versions) {
  const utcMinute = (ms) => new Date(ms).toISOString().slice(0, 16);
  const candidate = h('select', { id: 'backtest-version', name: 'version' }, versions.map((version) => h('option', { value: String(version.version) }, `Version ${version.version}${version.active ? ' (active)' : ''}`)));
  const from = h('input', { id: 'backtest-from', name: 'from', type: 'datetime-local', value: utcMinute(Date.now() - 7 * DAY_MS) });
  const to = h('input', { id: 'backtest-to', name: 'to', type: 'datetime-local', value: utcMinute(Date.now() + 60_000) });
  const message = h('div', { class: 'form-message' });
  const submit = h('button', { type: 'submit' }, 'Run the backtest');
  const form = h(
    'form',
    { class: 'backtest', method: 'post', 'aria-labelledby': 'h-backtest', novalidate: true },
    h('h2', { id: 'h-backtest' }, 'Backtest a version'),
    h('p', { class: 'muted' }, 'Screens the stored transactions of the range (UTC) with the chosen version, in the background, and compares with what was answered.'),
    h('div', { class: 'field' }, h('label', { for: 'backtest-version' }, 'Version'), candidate),
    h('div', { class: 'field' }, h('label', { for: 'backtest-from' }, 'From (UTC)'), from),
    h('div', { class: 'field' }, h('label', { for: 'backtest-to' }, 'To (UTC)'), to),
    h('div', { class: 'actions' }, submit),
    message,
  );
  onSubmitShowingProblems(form, submit, message, async () => {
    const body = { version: Number(candidate.value), from: `${from.value}:00Z`, to: `${to.value}:00Z` };
    const job = JSON.parse((await request('POST', '/rules/backtest', { body })).text);
    if (view.current()) view.navigate(`#/backtests/${job.id}`);
  });
  return form;
}

function newVersionForm(view) {
  const source = h('textarea', { id: 'rule-set-source', name: 'source', rows: '12', spellcheck: 'false', required: true });
  const message = h('div', { class: 'form-message' });
  const submit = h('button', { type: 'submit' }, 'Store the version');
  const form = h(
    'form',
    { class: 'new-version', method: 'post', 'aria-labelledby': 'h-new-version', novalidate: true },
    h('h2', { id: 'h-new-version' }, 'Store a new version'),
    h('p', { class: 'muted' }, 'YAML in the format of config/rules.yaml. It is checked, stored inactive, and can be backtested before anyone activates it.'),
    h('div', { class: 'field' }, h('label', { for: 'rule-set-source' }, 'Rule set (YAML)'), source),
    h('div', { class: 'actions' }, submit),
    message,
  );
  onSubmitShowingProblems(form, submit, message, async () => {
    const response = await send('POST', '/rules/versions', { body: source.value, type: 'application/yaml' });
    const stored = await response.json();
    if (view.current()) await renderRules(view, notice(`Version ${stored.version} stored. It is not active yet.`));
  });
  return form;
}
