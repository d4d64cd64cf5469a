// The evidence pack as a printable HTML page: every value escaped, no script, a print stylesheet.
import { createHash } from 'node:crypto';
import { Evidence } from '../../application/evidence-pack.use-case';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in HTML content and in quoted attributes. */
export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character]!);
}

/** An exact decimal with thousands grouped for reading, every digit kept: "48250.00" → "48,250.00". */
export function groupedAmount(amount: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(amount);
  if (!match) return amount;
  return `${match[1]}${match[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${match[3] ?? ''}`;
}

type Cell = unknown;

function table(caption: string, headers: readonly string[], rows: readonly Cell[][], empty = 'None.'): string {
  if (rows.length === 0) return `<section><h2>${escapeHtml(caption)}</h2><p class="empty">${escapeHtml(empty)}</p></section>`;
  const head = headers.map((header) => `<th scope="col">${escapeHtml(header)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('\n');
  return `<section><h2>${escapeHtml(caption)}</h2><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
}

function facts(caption: string, pairs: readonly [string, Cell][]): string {
  const rows = pairs.map(([name, value]) => `<tr><th scope="row">${escapeHtml(name)}</th><td>${escapeHtml(value)}</td></tr>`).join('\n');
  return `<section><h2>${escapeHtml(caption)}</h2><table class="facts"><tbody>\n${rows}\n</tbody></table></section>`;
}

const list = (values: readonly unknown[] | null | undefined) => (values ?? []).map(String).join('; ');

function caseSections(evidence: Evidence): string[] {
  const { detail } = evidence;
  return [
    facts('Transaction', [
      ['Transaction id', detail.transactionId],
      ['Direction', detail.direction],
      ['Status', detail.status],
      ['Amount', `${groupedAmount(detail.amount)} ${detail.currency}`],
      ['Reasons', list(detail.reasons)],
      ['Received', detail.receivedAt],
      ['Held for review since', detail.review?.pendingSince ?? 'never held'],
      ['Decided', detail.review?.decidedAt ?? ''],
      ['Assignee', detail.assignee ?? 'nobody'],
      ['Claimed until', detail.claimedUntil ?? ''],
    ]),
    facts('Screening', [
      ['Provider', detail.screening.provider],
      ['Outcome', detail.screening.outcome],
      ["Provider's status", detail.screening.providerStatus],
      ["Provider's reasons", list(detail.screening.providerReasons)],
      ['Rule-set version', detail.screening.ruleSetVersion],
      ['Screened', detail.screening.screenedAt],
      ['Duration (ms)', detail.screening.durationMs],
    ]),
    table(
      'Verdicts of each provider',
      ['Role', 'Provider', 'Status', 'Reasons', 'Duration (ms)', 'At'],
      [...evidence.providerVerdicts.map((v) => ['live', v.provider, v.status ?? 'no answer', list(v.reasons), v.durationMs, v.screenedAt]), ...evidence.shadowVerdicts.map((v) => ['shadow', v.provider, v.status ?? 'no answer', list(v.reasons), v.durationMs, v.screenedAt])],
      'Only the provider above screened it.',
    ),
    table('Decisions', ['#', 'Status', 'Final', 'Source', 'By', 'Reasons', 'At'], detail.decisions.map((d) => [d.sequence, d.status, d.final ? 'yes' : 'no', d.source, d.decidedBy, list(d.reasons), d.decidedAt])),
    table('Notes', ['By', 'At', 'Text'], detail.notes.map((n) => [n.author, n.at, n.text])),
    table('Claims', ['Action', 'By', 'Assignee', 'At', 'Until'], detail.claimHistory.map((c) => [c.action, c.by, c.assignee, c.at, c.claimedUntil])),
    table('Attachments', ['File', 'Type', 'Bytes', 'SHA-256', 'By', 'At'], detail.attachments.map((a) => [a.filename, a.contentType, a.size, a.sha256, a.by, a.at])),
    table(
      'Notifications to Toqio',
      ['Id', 'State', 'Status sent', 'Created', 'Delivered', 'Dead', 'Last error', 'Redelivered', 'Attempts'],
      detail.notifications.map((n) => [
        n.id,
        n.state,
        n.body.status,
        n.createdAt,
        n.deliveredAt,
        n.deadAt,
        n.lastError,
        n.redeliveredBy === null ? '' : `by ${n.redeliveredBy} at ${n.redeliveredAt?.toISOString() ?? ''}`,
        n.attempts.map((a) => `#${a.attempt} ${a.outcome}${a.httpStatus ? ` ${a.httpStatus}` : ''} ${a.startedAt.toISOString()}${a.error ? `: ${a.error}` : ''}`).join('; '),
      ]),
    ),
    table('Payment events', ['Provider', 'Event', 'Status', 'Amount', 'Summary', 'Outcome', 'Received'], detail.paymentEvents.map((e) => [e.provider, e.eventType, e.state, e.amount === null ? '' : `${groupedAmount(e.amount)} ${e.currency ?? ''}`, e.summary, e.outcome, e.receivedAt])),
    table('Payments', ['Provider', 'Payment', 'Progress', "Provider's status", 'Updated'], detail.payments.map((p) => [p.provider, p.paymentKey, p.progress, p.providerStatus, p.updatedAt])),
  ];
}

function chainSections(evidence: Evidence): string[] {
  const { chain } = evidence;
  const verdict = chain.intact
    ? `<p class="verdict intact">INTACT: every entry of this chain verifies${chain.checkpoint ? `, and it still holds every head a checkpoint signed of it (the last in checkpoint ${escapeHtml(chain.checkpoint.number)})` : ''}.</p>`
    : `<p class="verdict broken">BROKEN: ${escapeHtml(chain.problems.length)} problem(s).</p><ul>${chain.problems.map((p) => `<li><strong>${escapeHtml(p.kind)}</strong> ${escapeHtml(p.sequence === null ? '' : `(sequence ${p.sequence})`)}: ${escapeHtml(p.message)}</li>`).join('')}</ul>`;
  const checkpoint = chain.checkpoint
    ? facts('Last signed checkpoint', [
        ['Number', chain.checkpoint.number],
        ['Signed', chain.checkpoint.createdAt],
        ['Head signed', `sequence ${chain.checkpoint.sequence}, ${chain.checkpoint.hash}`],
        ['Still held', chain.checkpoint.held ? 'yes' : 'NO'],
        ['Digest', chain.checkpoint.digest],
        ['Signature (Ed25519)', chain.checkpoint.signature],
        ['Key id', chain.checkpoint.keyId],
      ])
    : '';
  return [
    `<section><h2>Hash chain</h2>${verdict}</section>`,
    table('Chain entries', ['#', 'Kind', 'At', 'Previous hash', 'Hash'], chain.entries.map((e) => [e.sequence, e.kind, e.at, e.prevHash, e.hash])),
    checkpoint,
  ];
}

const STYLE = `
  body { font: 14px/1.45 system-ui, sans-serif; color: #111; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; }
  h1 { font-size: 1.5rem; margin-bottom: 0.25rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 0.5rem; border-bottom: 1px solid #999; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
  table.facts th { width: 14rem; background: #f3f3f3; } thead th { background: #f3f3f3; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid #bbb; padding: 0.5rem; background: #fafafa; }
  .verdict { font-weight: bold; padding: 0.5rem; border: 2px solid; } .intact { border-color: #2a7a2a; } .broken { border-color: #b00020; color: #b00020; }
  .meta, .empty { color: #555; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10pt; } a { color: inherit; text-decoration: none; }
    section { break-inside: avoid-page; } tr { break-inside: avoid; } thead { display: table-header-group; }
    @page { margin: 15mm; @bottom-right { content: counter(page) " / " counter(pages); } }
  }`;

/**
 * The CSP source that allows exactly this stylesheet: the page's own policy needs no
 * 'unsafe-inline', and the console, which opens the page from memory (it then runs under the
 * console's policy), lists it too.
 */
export const EVIDENCE_STYLE_SOURCE = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;

/** The whole page; every value from the case goes through escapeHtml. */
export function renderEvidenceHtml(evidence: Evidence): string {
  const { detail } = evidence;
  const title = `Evidence: transaction ${detail.transactionId}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="meta">Generated ${escapeHtml(evidence.generatedAt)} by the transaction-monitoring service. ${escapeHtml(detail.status)}, ${escapeHtml(groupedAmount(detail.amount))} ${escapeHtml(detail.currency)}.</p>
</header>
<main>
${[...chainSections(evidence).slice(0, 1), ...caseSections(evidence), ...chainSections(evidence).slice(1)].join('\n')}
<section><h2>Payload as received</h2><pre>${escapeHtml(detail.payloadJson)}</pre></section>
</main>
</body>
</html>
`;
}
