// The review console's entry point: sign-in, the hash router and the shared view helpers.
import { ApiError, IDLE_SIGN_OUT_MINUTES, onUnauthorized, request, session } from './api.js';
import { h, problemBox, replace } from './dom.js';
import { queueHash, queueParams, renderQueue } from './queue.js';
import { reconciliationParams, renderReconciliation } from './reconciliation.js';
import { renderBacktest } from './backtest.js';
import { renderList, renderLists } from './lists.js';
import { renderRules } from './rules.js';
import { principal } from './principal.js';
import { renderTransaction } from './transaction.js';

const main = document.getElementById('main');
const announcer = document.getElementById('announcer');
const signOutButton = document.getElementById('sign-out');
const nav = document.getElementById('nav');
const whoami = document.getElementById('whoami');

let generation = 0;
let lastQueueHash = queueHash({ status: 'PENDING_EXTERNAL_APPROVAL', direction: '' });

/** What a view may do; `current()` turns false once the analyst has moved elsewhere. */
function viewFor(myGeneration) {
  return {
    main,
    current: () => myGeneration === generation,
    /** Goes to `hash` with history state (the queue's page trail) and renders it. */
    navigate(hash, state = {}) {
      history.pushState(state, '', hash);
      void route();
    },
    refresh: () => void route(),
    focus(element) {
      element?.focus({ preventScroll: false });
    },
    announce(text) {
      announcer.textContent = text;
    },
    lastQueueHash: () => lastQueueHash,
  };
}

async function route() {
  if (signOutIfIdle()) return;
  generation += 1;
  const view = viewFor(generation);
  if (!session.token()) {
    showSignIn(view);
    return;
  }
  signOutButton.hidden = false;
  nav.hidden = false;
  showWhoAmI();
  const hash = location.hash || '#/queue';
  const transaction = /^#\/transactions\/(.+)$/.exec(hash);
  if (transaction) {
    let id;
    try {
      id = decodeURIComponent(transaction[1]);
    } catch {
      id = transaction[1];
    }
    document.title = `${id} · Review console`;
    await renderTransaction(view, id);
    return;
  }
  if (await renderRulesPages(view, hash)) return;
  const reconciliation = /^#\/reconciliation\??(.*)$/.exec(hash);
  if (reconciliation) {
    document.title = 'Reconciliation · Review console';
    await renderReconciliation(view, reconciliationParams(reconciliation[1]));
    return;
  }
  const [, search = ''] = /^#\/queue\??(.*)$/.exec(hash) ?? [];
  lastQueueHash = hash.startsWith('#/queue') ? hash : lastQueueHash;
  document.title = 'Review queue · Review console';
  await renderQueue(view, queueParams(search));
}

/** The rules engine's pages: lists, a list, the rule sets, a backtest. False when `hash` is none of them. */
async function renderRulesPages(view, hash) {
  const decoded = (text) => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  const list = /^#\/lists\/([^?]+)\??(.*)$/.exec(hash);
  const backtest = /^#\/backtests\/(.+)$/.exec(hash);
  if (hash === '#/lists') {
    document.title = 'Lists · Review console';
    await renderLists(view);
  } else if (list) {
    document.title = `${decoded(list[1])} · Review console`;
    await renderList(view, decoded(list[1]), new URLSearchParams(list[2]).get('after') ?? '');
  } else if (hash === '#/rules') {
    document.title = 'Rules · Review console';
    await renderRules(view);
  } else if (backtest) {
    document.title = 'Backtest · Review console';
    await renderBacktest(view, decoded(backtest[1]));
  } else return false;
  return true;
}

/** "alice · analyst" in the top bar: who the console acts as, and so what it offers. */
function showWhoAmI() {
  principal().then(
    (me) => {
      whoami.textContent = `${me.name} · ${me.role}`;
      whoami.hidden = false;
    },
    () => undefined, // the view that needs it says why
  );
}

function showSignIn(view, problem = null) {
  whoami.hidden = true;
  signOutButton.hidden = true;
  nav.hidden = true;
  document.title = 'Sign in · Review console';
  const token = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'current-password', spellcheck: 'false', required: true });
  const message = h('div', { class: 'form-message' }, problem ? problemBox(problem) : null);
  const submit = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    // method=post and the policy's form-action 'none': even without this script the token is never put in a URL.
    { class: 'sign-in', method: 'post', 'aria-labelledby': 'h-sign-in', novalidate: true },
    h('h1', { id: 'h-sign-in', tabindex: '-1' }, 'Sign in'),
    h('p', {}, 'Use your analyst token (from ', h('code', {}, 'ANALYST_TOKENS'), `, or a token from your identity provider). It is kept in this tab until you sign out, or until ${IDLE_SIGN_OUT_MINUTES} minutes pass without a key press, click or scroll: a browser that reopens the tab sooner brings it back, so sign out on a shared computer.`),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'Analyst token'), token),
    h('div', { class: 'actions' }, submit),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = token.value.trim();
    if (!value) {
      replace(message, problemBox({ problem: { title: 'A token is required', detail: 'Paste the analyst token you were given.', errors: [] } }));
      token.focus();
      return;
    }
    submit.disabled = true;
    replace(message, h('p', { class: 'muted' }, 'Checking the token…'));
    try {
      // Any analyst call proves the token; the smallest page of the queue is the cheapest.
      await request('GET', '/transactions?limit=1', { token: value });
    } catch (error) {
      submit.disabled = false;
      const box = problemBox(error);
      replace(message, box);
      token.select();
      token.focus();
      return;
    }
    session.signIn(value);
    view.announce('Signed in');
    void route();
  });
  replace(main, form);
  token.focus();
}

onUnauthorized((error) => {
  session.signOut();
  generation += 1;
  showSignIn(viewFor(generation), new ApiError(401, { ...error.problem, title: 'Signed out: the service refused your token' }));
});

/**
 * Signs out a tab left alone for IDLE_SIGN_OUT_MINUTES, checked every half minute and before each
 * view, so also a tab the browser brings back (session storage and all) after longer than that.
 * True when it did.
 */
function signOutIfIdle() {
  if (!session.idle()) return false;
  session.signOut();
  generation += 1;
  const view = viewFor(generation);
  showSignIn(view, new ApiError(401, { title: `Signed out after ${IDLE_SIGN_OUT_MINUTES} minutes without activity`, detail: 'Sign in again to go on.', errors: [] }));
  view.announce('Signed out');
  return true;
}

for (const type of ['keydown', 'pointerdown', 'wheel']) document.addEventListener(type, () => session.touch(), { capture: true, passive: true });
setInterval(signOutIfIdle, 30_000);

signOutButton.addEventListener('click', () => {
  session.signOut();
  history.replaceState(null, '', '#/queue');
  generation += 1;
  const view = viewFor(generation);
  showSignIn(view);
  view.announce('Signed out');
});

document.querySelector('.skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', () => void route());
void route();
