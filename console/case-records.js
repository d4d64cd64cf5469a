// A case's notes and attachments (read, write, upload, download) and its printable evidence pack.
import { request, send } from './api.js';
import { h, notice, problemBox, replace, table, time } from './dom.js';

const NOTE_MAX = 10000;
const casePath = (id) => `/transactions/${encodeURIComponent(id)}`;

/**
 * The types the service accepts, by the names' endings it knows each by (ATTACHMENT_TYPES in
 * src/domain/attachment-content.ts; the browser suite holds the two equal).
 */
export const ATTACHMENT_TYPE_BY_ENDING = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  txt: 'text/plain',
  text: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
};

/**
 * The type to send `file` as: the one its ending names, where the service accepts that ending,
 * else the browser's. A browser's type is the system's guess from the same ending, often one the
 * service refuses: Chromium on Linux sends a .log as text/x-log, Chrome on Windows a .csv as
 * application/vnd.ms-excel. The service still checks the bytes against the type.
 */
export function attachmentType(file) {
  const ending = /\.([^.]+)$/.exec(file.name)?.[1].toLowerCase();
  return ending !== undefined && Object.hasOwn(ATTACHMENT_TYPE_BY_ENDING, ending) ? ATTACHMENT_TYPE_BY_ENDING[ending] : file.type;
}

const ATTACHMENT_ACCEPT = [...new Set(Object.values(ATTACHMENT_TYPE_BY_ENDING)), ...Object.keys(ATTACHMENT_TYPE_BY_ENDING).map((ending) => `.${ending}`)].join(',');

/** The notes section: the list, oldest first, and a form that adds one and reloads the case. */
export function notesSection(id, notes, reload, { canWrite = true } = {}) {
  const text = h('textarea', { id: 'note-text', name: 'text', rows: '3', 'aria-describedby': 'note-help' });
  const message = h('div', { class: 'form-message' });
  const add = h('button', { type: 'submit' }, 'Add note');
  const form = h(
    'form',
    { class: 'note-form', method: 'post', novalidate: true, 'aria-label': 'Add a note' },
    h('div', { class: 'field' }, h('label', { for: 'note-text' }, 'New note'), text),
    h('p', { id: 'note-help', class: 'muted small' }, `Up to ${NOTE_MAX.toLocaleString('en-GB')} characters. Notes are kept for ever with your name: they cannot be edited or deleted.`),
    h('div', { class: 'actions' }, add),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (text.value.trim() === '') return replace(message, problemBox({ problem: { title: 'A note needs some text', detail: '', errors: [] } }));
    add.disabled = true;
    try {
      await request('POST', `${casePath(id)}/notes`, { body: { text: text.value } });
      await reload(notice('Note added.'));
    } catch (error) {
      replace(message, problemBox(error));
      add.disabled = false;
    }
  });
  const list = notes.length === 0
    ? h('p', { class: 'muted', id: 'notes-empty' }, 'No notes yet.')
    : h('ol', { class: 'notes', id: 'notes' }, notes.map((n) => h('li', {}, h('p', { class: 'note-meta muted small' }, h('strong', {}, n.author), ' · ', time(n.at)), h('p', { class: 'note-text' }, n.text))));
  return h('section', { 'aria-labelledby': 'h-notes' }, h('h2', { id: 'h-notes' }, 'Notes'), list, canWrite ? form : null);
}

/** The attachments section: each file with its digest and a download button, and an upload form. */
export function attachmentsSection(id, attachments, reload, { canWrite = true } = {}) {
  const message = h('div', { class: 'form-message' });
  const rows = attachments.map((a) =>
    h(
      'tr',
      {},
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => download(id, a, message) }, a.filename)),
      h('td', {}, a.contentType),
      h('td', { class: 'num' }, a.size.toLocaleString('en-GB')),
      h('td', { class: 'mono small' }, a.sha256),
      h('td', {}, a.by),
      h('td', {}, time(a.at)),
    ),
  );
  const file = h('input', { type: 'file', id: 'attachment-file', name: 'file', accept: ATTACHMENT_ACCEPT });
  const upload = h('button', { type: 'submit' }, 'Attach');
  const form = h(
    'form',
    { class: 'attachment-form', method: 'post', novalidate: true, 'aria-label': 'Attach a file' },
    h('div', { class: 'field' }, h('label', { for: 'attachment-file' }, 'File (PDF, PNG, JPEG, text or CSV)'), file),
    h('div', { class: 'actions' }, upload),
    message,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) return replace(message, problemBox({ problem: { title: 'Choose a file first', detail: '', errors: [] } }));
    const body = new FormData();
    const type = attachmentType(chosen);
    // The same bytes under the type chosen (a slice copies nothing), with the file's own name.
    body.append('file', type === chosen.type ? chosen : chosen.slice(0, chosen.size, type), chosen.name);
    upload.disabled = true;
    try {
      await send('POST', `${casePath(id)}/attachments`, { body });
      await reload(notice(`${chosen.name} attached.`));
    } catch (error) {
      replace(message, problemBox(error));
      upload.disabled = false;
    }
  });
  const list = attachments.length === 0
    ? h('p', { class: 'muted', id: 'attachments-empty' }, 'No files attached.')
    : table(null, ['File', 'Type', 'Bytes', 'SHA-256', 'By', 'When'], rows, { className: 'data attachments' });
  return h('section', { 'aria-labelledby': 'h-attachments' }, h('h2', { id: 'h-attachments' }, 'Attachments'), list, canWrite ? form : null);
}

/** Downloads need the token, so the file is fetched, then saved under its own name. */
async function download(id, attachment, message) {
  try {
    const response = await send('GET', `${casePath(id)}/attachments/${encodeURIComponent(attachment.id)}`, { accept: '*/*' });
    saveBlob(await response.blob(), attachment.filename);
  } catch (error) {
    replace(message, problemBox(error));
  }
}

function saveBlob(blob, filename, { open = false } = {}) {
  const url = URL.createObjectURL(blob);
  const link = h('a', open ? { href: url, target: '_blank', rel: 'noopener' } : { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The "Evidence" button: the printable pack needs the token too, so it is fetched and opened
 * from memory in a new tab (print it from there), or saved as a file.
 */
export function evidenceButtons(id) {
  const message = h('div', { class: 'form-message' });
  const fetchPack = async (format) => (await send('GET', `${casePath(id)}/evidence?format=${format}`, { accept: format === 'html' ? 'text/html' : 'application/json' })).blob();
  const open = h('button', { type: 'button', class: 'secondary', id: 'evidence-open' }, 'Evidence');
  open.addEventListener('click', async () => {
    try {
      saveBlob(new Blob([await fetchPack('html')], { type: 'text/html' }), `evidence-${id}.html`, { open: true });
    } catch (error) {
      replace(message, problemBox(error));
    }
  });
  const json = h('button', { type: 'button', class: 'secondary', id: 'evidence-json' }, 'Evidence (JSON)');
  json.addEventListener('click', async () => {
    try {
      saveBlob(await fetchPack('json'), `evidence-${id}.json`);
    } catch (error) {
      replace(message, problemBox(error));
    }
  });
  return h('div', { class: 'evidence-actions' }, open, ' ', json, message);
}
