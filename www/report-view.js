// Mailward report view: renders a report object (the engine's JSON, parsed) into DOM nodes.
//
// Shared by the demo page and the Outlook task pane. Pure DOM: no network, no globals, no
// framework. Everything that comes from a message (names, addresses, subjects, link text,
// URLs, file names, excerpts) is attacker-controlled, so every string is set with
// `textContent` or as an attribute value through the DOM API; this module never parses markup
// (no innerHTML, insertAdjacentHTML, outerHTML or document.write). Links are shown, never made
// clickable.
//
//   import { renderReport } from './report-view.js';
//   container.replaceChildren(renderReport(report, { document }));

const LEVEL_WORDS = { safe: 'Safe', caution: 'Caution', danger: 'Danger' };
const ROLE_WORDS = {
  from: 'From',
  'reply-to': 'Reply-To',
  'return-path': 'Return-Path',
  sender: 'Sender',
  'message-id': 'Message-ID',
  'display-name': 'Display name',
  received: 'Received',
  link: 'Link',
};

/**
 * Renders a whole report. Returns a DocumentFragment with, in order: the banner, the
 * findings, the links table (when the report has links), the message and its authentication
 * results, and a collapsed technical section (stats and raw JSON).
 * options.document: the Document to build in (default: globalThis.document).
 * options.json: the raw JSON text to show in the technical section (default: re-serialised).
 */
export function renderReport(report, options = {}) {
  const doc = options.document ?? globalThis.document;
  const h = makeBuilder(doc);
  const frag = doc.createDocumentFragment();
  frag.append(
    renderBanner(report, h),
    renderFindings(report, h),
  );
  const links = Array.isArray(report.links) ? report.links : [];
  if (links.length) frag.append(renderLinks(links, h));
  frag.append(renderMessage(report, h), renderTechnical(report, options.json, h));
  return frag;
}

/** The banner exactly as the add-in shows it: nothing for safe, else level and sentence. */
export function renderBanner(report, h = makeBuilder(globalThis.document)) {
  const banner = report.banner;
  const level = banner?.level ?? report.verdict?.level ?? 'safe';
  if (!banner) {
    return h('div', { class: 'mw-banner mw-banner--none', 'data-level': level, role: 'status' },
      h('span', { class: 'mw-banner-level' }, LEVEL_WORDS[level] ?? level),
      h('span', { class: 'mw-banner-text' }, 'No warning: the add-in shows no banner for this message.'));
  }
  return h('div', {
    class: `mw-banner mw-banner--${safeToken(level)}`,
    'data-level': level,
    'data-rule': banner.rule,
    role: level === 'danger' ? 'alert' : 'status',
  },
  h('span', { class: 'mw-banner-level' }, LEVEL_WORDS[level] ?? level),
  h('span', { class: 'mw-banner-text' }, banner.text));
}

function renderFindings(report, h) {
  const findings = Array.isArray(report.findings) ? report.findings : [];
  const section = h('section', { class: 'mw-findings', 'aria-labelledby': 'mw-findings-h' },
    h('h2', { id: 'mw-findings-h' }, `Findings (${findings.length})`),
    h('p', { class: 'mw-score' }, `Verdict: ${LEVEL_WORDS[report.verdict?.level] ?? report.verdict?.level}, score ${report.verdict?.score} of 100`));
  if (!findings.length) {
    section.append(h('p', { class: 'mw-empty' }, 'Nothing worth mentioning.'));
    return section;
  }
  const list = h('ol', { class: 'mw-finding-list' });
  for (const f of findings) {
    list.append(h('li', { class: `mw-finding mw-sev--${safeToken(f.severity)}`, 'data-rule': f.rule },
      h('div', { class: 'mw-finding-head' },
        h('span', { class: 'mw-chip' }, f.severity),
        h('h3', { class: 'mw-finding-title' }, f.title)),
      h('p', { class: 'mw-explanation' }, f.explanation),
      renderEvidence(f.evidence, h),
      h('p', { class: 'mw-meta' },
        h('span', {}, describeLocation(f.location, report)),
        h('span', {}, ` · rule `), h('code', {}, f.rule),
        h('span', {}, ` · ${f.score} points`))));
  }
  section.append(list);
  return section;
}

function renderEvidence(evidence, h) {
  const list = h('ul', { class: 'mw-evidence' });
  for (const e of Array.isArray(evidence) ? evidence : []) {
    list.append(h('li', { class: `mw-ev mw-ev--${safeToken(e.kind)}` }, ...evidenceNodes(e, h)));
  }
  return list;
}

function evidenceNodes(e, h) {
  switch (e.kind) {
    case 'address':
      return [
        label(h, ROLE_WORDS[e.role] ?? e.role),
        ...(e.displayName != null ? [h('q', { class: 'mw-name' }, e.displayName), ' '] : []),
        h('span', { class: 'mw-addr' }, `<${e.address}>`),
      ];
    case 'domain':
      return [
        label(h, ROLE_WORDS[e.role] ?? e.role),
        h('span', { class: 'mw-domain' }, e.domain),
        ...(e.registrable && e.registrable !== e.domain ? [` (organisation: `, h('span', { class: 'mw-domain' }, e.registrable), ')'] : []),
      ];
    case 'header':
      return [label(h, e.name), h('span', { class: 'mw-excerpt' }, e.excerpt)];
    case 'auth':
      return [
        label(h, e.method.toUpperCase()),
        h('span', { class: `mw-auth mw-auth--${safeToken(e.result)}` }, e.result),
        ...(e.domain ? [` for `, h('span', { class: 'mw-domain' }, e.domain)] : []),
        ...(e.authservId ? [` (stamped by `, h('span', { class: 'mw-domain' }, e.authservId), ')'] : []),
      ];
    case 'chars':
      return renderChars(e, h);
    case 'time':
      return [
        label(h, e.label),
        h('time', { datetime: isoTime(e.value) }, isoTime(e.value)),
        ...(e.reference != null ? [' vs ', h('time', { datetime: isoTime(e.reference) }, isoTime(e.reference))] : []),
      ];
    case 'link':
      return [
        label(h, 'Link'),
        ...(e.text != null ? [h('q', { class: 'mw-link-text' }, e.text), ' goes to '] : []),
        ...(e.image != null ? [h('span', {}, e.image), ' goes to '] : []),
        h('span', { class: 'mw-url' }, e.destination),
        ...(e.wrappedBy?.length ? [` (wrapped by ${e.wrappedBy.join(', ')})`] : []),
        ...(e.url !== e.destination ? [h('br'), h('span', { class: 'mw-small' }, 'As written: '), h('span', { class: 'mw-url mw-small' }, e.url)] : []),
      ];
    case 'lookalike':
      return renderLookalike(e, h);
    case 'text':
      return [h('span', {}, e.text)];
    default: // a kind this view does not know yet: show its fields as text
      return [label(h, e.kind ?? 'evidence'), h('span', {}, JSON.stringify(e))];
  }
}

/** `lookalike` evidence: the imitating label with every differing character highlighted,
 *  what it imitates, and each difference in words. */
function renderLookalike(e, h) {
  const chars = Array.from(e.label ?? '');
  const marked = new Set();
  for (const d of e.differences ?? []) {
    if (d.change === 'omitted') continue;
    const n = Math.max(1, Array.from(d.found ?? '').length);
    for (let k = 0; k < n; k++) marked.add(d.position + k);
  }
  const label_ = h('span', { class: 'mw-chars' });
  chars.forEach((c, i) => label_.append(marked.has(i) ? h('mark', {}, visible(c)) : c));
  const notes = h('ul', { class: 'mw-marks' });
  for (const n of e.notes ?? []) notes.append(h('li', {}, n));
  return [
    label(h, ROLE_WORDS[e.role] ?? e.role),
    h('span', { class: 'mw-domain' }, e.domain),
    ' imitates ',
    h('span', { class: 'mw-domain' }, e.imitates),
    ` (${e.brand}) — look-alike part: `,
    label_,
    notes,
  ];
}

/** `chars` evidence: the text with each marked character highlighted, then a legend. */
function renderChars(e, h) {
  const chars = Array.from(e.text ?? ''); // code points, as the engine counts them
  const marks = new Map((e.marks ?? []).map((m) => [m.index, m]));
  const text = h('span', { class: 'mw-chars' });
  chars.forEach((c, i) => {
    const m = marks.get(i);
    if (m) {
      text.append(h('mark', { title: `${m.codePoint} ${m.note}` }, visible(c)));
    } else {
      text.append(c);
    }
  });
  const legend = h('ul', { class: 'mw-marks' });
  for (const m of e.marks ?? []) {
    legend.append(h('li', {}, h('mark', {}, visible(m.char)), ` ${m.codePoint}: ${m.note}`));
  }
  return [text, legend];
}

/** Invisible and direction-changing characters are shown by their code point. */
function visible(c) {
  const cp = c.codePointAt(0);
  const invisible = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp === 0xfeff;
  return invisible ? `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>` : c;
}

function renderLinks(links, h) {
  const body = h('tbody');
  for (const l of links) {
    const wrapped = l.wrappedBy?.length ? l.wrappedBy.join(', ') : 'no';
    body.append(h('tr', { 'data-index': String(l.index) },
      h('td', {}, l.text ?? l.image ?? `(${l.kind})`),
      h('td', {}, h('span', { class: 'mw-url' }, l.destination),
        ...(l.url !== l.destination ? [h('br'), h('span', { class: 'mw-url mw-small' }, l.url)] : [])),
      h('td', {}, wrapped)));
  }
  return h('section', { class: 'mw-links', 'aria-labelledby': 'mw-links-h' },
    h('h2', { id: 'mw-links-h' }, `Links (${links.length})`),
    h('div', { class: 'mw-table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Links table' },
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Shown text'), h('th', { scope: 'col' }, 'Real destination'), h('th', { scope: 'col' }, 'Wrapped'))),
        body)));
}

function renderMessage(report, h) {
  const m = report.message ?? {};
  const a = m.authentication ?? {};
  const addr = (x) => (x ? (x.name != null ? `${x.name} <${x.address}>` : x.address) : '—');
  const rows = [
    ['From', addr(m.from)],
    ['Reply-To', m.replyTo?.length ? m.replyTo.map(addr).join(', ') : '—'],
    ['Return-Path', m.returnPath ?? '—'],
    ['Subject', m.subject ?? '—'],
    ['Date', m.date ?? '—'],
  ];
  const auth = [
    ['SPF', a.spf, a.spfDomain],
    ['DKIM', a.dkim, a.dkimDomain],
    ['DMARC', a.dmarc, null],
    ['Composite (Microsoft)', a.compauth, null],
  ];
  return h('section', { class: 'mw-message', 'aria-labelledby': 'mw-message-h' },
    h('h2', { id: 'mw-message-h' }, 'Message'),
    h('dl', { class: 'mw-facts' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('h3', {}, 'Authentication'),
    a.authservId
      ? h('p', { class: 'mw-small' }, 'Results stamped by ', h('span', { class: 'mw-domain' }, a.authservId), ', a receiving server the policy trusts.')
      : h('p', { class: 'mw-small' }, 'No authentication results from a trusted receiving server.'),
    h('dl', { class: 'mw-facts mw-auth-facts' }, ...auth.flatMap(([k, v, d]) => [
      h('dt', {}, k),
      h('dd', {}, v ? h('span', { class: `mw-auth mw-auth--${safeToken(v)}` }, v) : '—', ...(d ? [' ', h('span', { class: 'mw-domain' }, d)] : [])),
    ])));
}

function renderTechnical(report, json, h) {
  const s = report.stats ?? {};
  return h('details', { class: 'mw-technical' },
    h('summary', {}, 'Technical details'),
    h('p', { class: 'mw-small' },
      `Engine ${report.engine}, schema ${report.schemaVersion}, input ${report.input}; ${s.bytes} bytes, ${s.headers} header fields, ${s.parts} MIME parts, ${s.receivedHops} Received hops.`,
      ...(s.limitsHit?.length ? [` Limits hit: ${s.limitsHit.join(', ')}.`] : [])),
    h('pre', { class: 'mw-json', tabindex: '0' }, json ?? JSON.stringify(report, null, 2)));
}

function describeLocation(loc, report) {
  switch (loc?.kind) {
    case 'header': return `In the ${loc.name} header${loc.index ? ` (#${loc.index + 1})` : ''}`;
    case 'part': return `In MIME part ${loc.path}`;
    case 'link': {
      const l = report.links?.[loc.index];
      return `In link ${loc.index + 1}${l ? ` (${l.host})` : ''}`;
    }
    case 'message': return 'The message as a whole';
    default: return 'Somewhere in the message';
  }
}

function label(h, text) {
  return h('span', { class: 'mw-label' }, `${text}: `);
}

function isoTime(seconds) {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString().replace('.000Z', 'Z');
}

/** Class-name fragments come from the engine's enums; anything else becomes `other`. */
function safeToken(s) {
  return typeof s === 'string' && /^[a-z0-9-]{1,32}$/.test(s) ? s : 'other';
}

/** h(tag, attrs, ...children): strings become text nodes, never markup. */
function makeBuilder(doc) {
  return function h(tag, attrs = {}, ...children) {
    const el = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v != null) el.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c == null) continue;
      el.append(typeof c === 'string' ? doc.createTextNode(c) : c);
    }
    return el;
  };
}
