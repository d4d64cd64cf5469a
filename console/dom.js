// Building the page from data: elements and text nodes only, so nothing from the API is ever parsed as HTML.

/**
 * h('a', { href: '#/x', class: 'link', onclick: fn }, 'text', child, [more]) — strings become
 * text nodes; null, undefined and false are skipped. There is deliberately no way to set raw
 * markup through it.
 */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else if (key === 'text') element.textContent = value;
    else if (key === 'value') element.value = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** A problem+json error as people read it: its title, its detail, and one line per invalid field. */
export function problemBox(error, extra) {
  const problem = error?.problem ?? { title: 'Something went wrong', detail: String(error?.message ?? error), errors: [] };
  return h(
    'div',
    { class: 'problem', role: 'alert', tabindex: '-1' },
    h('p', { class: 'problem-title' }, problem.title),
    problem.detail ? h('p', {}, problem.detail) : null,
    problem.errors?.length ? h('ul', {}, problem.errors.map((e) => h('li', {}, h('code', {}, String(e.field ?? '')), ': ', String(e.message ?? '')))) : null,
    extra ? h('p', {}, extra) : null,
  );
}

export function notice(text, kind = 'success') {
  return h('div', { class: `notice notice-${kind}`, role: 'status', tabindex: '-1' }, text);
}

const pad = (n) => String(n).padStart(2, '0');

/**
 * An instant as a UTC date and time, said to be UTC ("2026-01-15 23:30:00 UTC"), with the exact
 * ISO text kept in the markup and tooltip. Never the browser's own zone: the dates an analyst
 * types (the queue's "Held from", reconciliation's days, a backtest's range) are UTC days and
 * times, so the day a time shows is the day that finds it.
 */
export function time(iso) {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h('span', {}, String(iso));
  const text = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`;
  return h('time', { datetime: iso, title: iso }, text);
}

/** How long ago, coarsely: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
export function age(iso, now = Date.now()) {
  const ms = Math.max(0, now - new Date(iso).getTime());
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours < 48) return `${hours} h ${pad(min % 60)} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

const STATUS_LABELS = {
  PENDING_EXTERNAL_APPROVAL: 'Pending review',
  APPROVED: 'Approved',
  REJECTED: 'Rejected',
  SCREENING: 'Screening',
  QUEUED: 'Queued',
  DELIVERED: 'Delivered',
  DEAD: 'Dead',
};

/** A state word as a badge; the text says it, the colour only repeats it. */
export function badge(status, label = STATUS_LABELS[status] ?? status) {
  return h('span', { class: `badge badge-${String(status).toLowerCase().replace(/[^a-z0-9]+/g, '-')}` }, label);
}

/**
 * An amount exactly as the API gives it: a decimal string, shown digit for digit (never through
 * a binary float), grouped in thousands for reading, with its currency; the exact text is kept in
 * the element's data-amount.
 */
export function money(amount, currency) {
  if (amount === null || amount === undefined) return h('span', { class: 'muted' }, '—');
  return h(
    'span',
    { class: 'amount', 'data-amount': String(amount) },
    h('span', { class: 'amount-value' }, groupDigits(amount)),
    ' ',
    h('span', { class: 'amount-currency' }, String(currency ?? '')),
  );
}

/**
 * "48250.00" → "48,250.00", "10000.000000000000000001" → "10,000.000000000000000001": commas
 * between thousands of the whole part, worked on the text itself (a Number would drop digits).
 * Anything that is not a plain decimal is shown as it came.
 */
export function groupDigits(amount) {
  const text = String(amount);
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  if (!match) return text;
  const [, sign, whole, fraction = ''] = match;
  const groups = [];
  for (let end = whole.length; end > 0; end -= 3) groups.unshift(whole.slice(Math.max(0, end - 3), end));
  return `${sign}${groups.join(',')}${fraction}`;
}

/** A definition list from [label, value] pairs, skipping pairs whose value is null. */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(([, value]) => value !== null && value !== undefined).map(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

export function reasonsList(reasons) {
  if (!Array.isArray(reasons) || reasons.length === 0) return h('span', { class: 'muted' }, 'none');
  return h('ul', { class: 'reasons' }, reasons.map((r) => h('li', {}, String(r))));
}

/** A simple table: headers, then rows of cells (strings or nodes). */
export function table(caption, headers, rows, { className = 'data' } = {}) {
  return h(
    'table',
    { class: className },
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows),
  );
}

/** The "Loading…" box a page fills once its data is in: busy for assistive technology until then. */
export function loadingBox(text = 'Loading…') {
  return h('div', { class: 'results', 'aria-busy': 'true' }, h('p', { class: 'muted' }, text));
}

/**
 * Resolves to what `load` resolves to, for `results` (a loadingBox) to show; to undefined when it
 * failed, its problem then shown in `results`, or when the analyst has moved on to another view.
 */
export async function loadInto(view, results, load) {
  let data;
  try {
    data = await load();
  } catch (error) {
    if (view.current()) {
      replace(results, problemBox(error));
      results.removeAttribute('aria-busy');
    }
    return undefined;
  }
  if (!view.current()) return undefined;
  results.removeAttribute('aria-busy');
  return data;
}

/** Runs `action` with `control` disabled; a refusal re-enables it and is handed to `show`, then focused. */
async function runShowingProblems(control, action, show) {
  control.disabled = true;
  try {
    await action();
  } catch (error) {
    control.disabled = false;
    const box = problemBox(error);
    show(box);
    box.focus();
  }
}

/**
 * Runs `action` when `form` is submitted, `submit` disabled meanwhile; a refusal is shown in
 * `message` and focused, and the button enabled again for another try.
 */
export function onSubmitShowingProblems(form, submit, message, action) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void runShowingProblems(submit, action, (box) => replace(message, box));
  });
}

/** Runs a table row's `action` button; a refusal is shown and focused in a row of its own below, spanning `columns`. */
export function onClickShowingProblems(button, row, columns, action) {
  button.addEventListener('click', () => runShowingProblems(button, action, (box) => row.after(h('tr', {}, h('td', { colspan: String(columns) }, box)))));
}
