// Claiming a case: who holds it and until when, and the buttons to take, renew or release it, offered by role.
import { request } from './api.js';
import { can } from './principal.js';
import { h, notice, problemBox, replace, time } from './dom.js';

const claimPath = (id) => `/transactions/${encodeURIComponent(id)}/claim`;

/** The claim as the API shows it: null when no claim holds (none, lapsed, or the case decided). */
export function claimOf(detail) {
  return detail.assignee ? { assignee: detail.assignee, claimedUntil: detail.claimedUntil } : null;
}

/** Whether `me` may decide the case now: nobody else's claim holds it, or `me` is a supervisor. */
export function mayDecide(detail, me) {
  const claim = claimOf(detail);
  return can(me, 'analyst') && (!claim || claim.assignee === me.name || can(me, 'supervisor'));
}

/** The queue's mark for a claimed case. */
export function assigneeBadge(item) {
  return item.assignee ? h('span', { class: 'badge badge-claim', title: `Claimed until ${item.claimedUntil}` }, `Claimed: ${item.assignee}`) : null;
}

/** The claim panel of a pending case; `reload(flash)` redraws the case. */
export function claimPanel(id, detail, me, reload) {
  const claim = claimOf(detail);
  const mine = claim?.assignee === me.name;
  const message = h('div', { class: 'form-message' });
  const act = (method, done) => async (event) => {
    event.currentTarget.disabled = true;
    try {
      await request(method, claimPath(id));
      await reload(notice(done));
    } catch (error) {
      if (error.status === 401) return;
      // Someone claimed or decided it meanwhile: show the case as it is now, and why.
      await reload(problemBox(error, 'The view has been refreshed to show the case as it is now.'));
    }
  };
  const buttons = [];
  if (can(me, 'analyst') && (!claim || mine)) {
    buttons.push(h('button', { type: 'button', id: 'claim', onclick: act('POST', mine ? 'Your claim is renewed.' : 'You have claimed this case.') }, mine ? 'Renew claim' : 'Claim'));
  }
  if (claim && (mine || can(me, 'supervisor'))) {
    buttons.push(h('button', { type: 'button', id: 'release', class: 'secondary', onclick: act('DELETE', mine ? 'Your claim is released.' : `${claim.assignee}'s claim is released.`) }, mine ? 'Release' : `Release ${claim.assignee}'s claim`));
  }
  return h(
    'section',
    { class: 'claim', 'aria-labelledby': 'h-claim' },
    h('h2', { id: 'h-claim' }, 'Assignee'),
    h(
      'p',
      { id: 'claim-state' },
      claim
        ? [mine ? 'Claimed by you' : ['Claimed by ', h('strong', {}, claim.assignee)], ' until ', time(claim.claimedUntil), mine ? '.' : ': only they or a supervisor may decide it.']
        : 'Nobody has claimed this case.',
    ),
    buttons.length > 0 ? h('div', { class: 'actions' }, buttons) : null,
    message,
  );
}
