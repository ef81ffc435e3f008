// A stub of Office.js for the Outlook task pane tests, served in place of Microsoft's CDN URL.
// It implements exactly what addin/outlook/office-host.js uses, and records every call:
//   Office.onReady, AsyncResultStatus, CoercionType, EventType.ItemChanged,
//   MailboxEnums.ItemNotificationMessageType, context.requirements.isSetSupported,
//   context.mailbox.{item, userProfile, addHandlerAsync}, and on an item getAsFileAsync,
//   getAllInternetHeadersAsync, body.getAsync, attachments, notificationMessages.{replaceAsync,
//   removeAsync}.
// Configured before the page loads by `window.__stubConfig = { mailbox: '1.14' | '1.8', item }`;
// driven by the test through `window.__stub` (change(item), calls, banners).
(function () {
  'use strict';
  const config = window.__stubConfig || {};
  const calls = [];
  const banners = new Map(); // item id → Map(key → details): what Outlook shows per message
  let handlers = [];
  let item = null;
  const later = (fn) => setTimeout(fn, 0);
  const ok = (value) => ({ status: 'succeeded', value });
  const err = (message) => ({ status: 'failed', error: { name: 'GenericResponseError', message, code: 9020 } });

  function makeItem(spec) {
    if (!spec) return null;
    const shown = new Map();
    banners.set(spec.id, shown);
    const it = {
      itemId: spec.id,
      attachments: spec.attachments || [],
      body: {
        getAsync(coercion, cb) {
          calls.push({ t: performance.now(), item: spec.id, api: 'body.getAsync', coercion });
          later(() => cb(coercion === 'html' ? ok(spec.html ?? '') : err('unsupported coercion')));
        },
      },
      getAllInternetHeadersAsync(cb) {
        calls.push({ t: performance.now(), item: spec.id, api: 'getAllInternetHeadersAsync' });
        later(() => cb(spec.headersError ? err(spec.headersError) : ok(spec.headers ?? '')));
      },
      notificationMessages: {
        replaceAsync(key, details, cb) {
          calls.push({ t: performance.now(), item: spec.id, api: 'replaceAsync', key, details: { ...details } });
          const m = String(details.message ?? '');
          let r = ok(undefined);
          if (Array.from(m).length > 150) r = err('message longer than 150 characters');
          else if (details.type === 'informationalMessage' && (!details.icon || details.persistent === undefined)) r = err('icon and persistent are required');
          else if (details.type === 'errorMessage' && ('icon' in details || 'persistent' in details)) r = err('icon and persistent are not allowed');
          if (r.status === 'succeeded') shown.set(key, { ...details });
          later(() => cb && cb(r));
        },
        removeAsync(key, cb) {
          calls.push({ t: performance.now(), item: spec.id, api: 'removeAsync', key });
          const had = shown.delete(key);
          later(() => cb && cb(had ? ok(undefined) : err('The key was not found.')));
        },
      },
    };
    if (config.mailbox === '1.14') {
      it.getAsFileAsync = function (options, cb) {
        if (typeof options === 'function') cb = options;
        calls.push({ t: performance.now(), item: spec.id, api: 'getAsFileAsync' });
        later(() => cb(spec.rawError ? err(spec.rawError) : ok(spec.raw)));
      };
    }
    return it;
  }

  item = makeItem(config.item);
  const readyInfo = { host: 'Outlook', platform: 'OfficeOnline' };
  window.Office = {
    onReady(cb) { const p = Promise.resolve(readyInfo); if (cb) p.then(cb); return p; },
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Html: 'html', Text: 'text' },
    EventType: { ItemChanged: 'olkItemSelectedChanged' },
    MailboxEnums: {
      ItemNotificationMessageType: { InformationalMessage: 'informationalMessage', ErrorMessage: 'errorMessage', ProgressIndicator: 'progressIndicator', InsightMessage: 'insightMessage' },
    },
    context: {
      requirements: {
        isSetSupported(name, version) {
          const have = config.mailbox || '1.8';
          const num = (v) => v.split('.').map(Number);
          const [a, b] = num(have);
          const [c, d] = num(version || '1.1');
          return name === 'Mailbox' && (a > c || (a === c && b >= d));
        },
      },
      mailbox: {
        get item() { return item; },
        userProfile: { emailAddress: 'adele.vance@contoso.com', displayName: 'Adele Vance' },
        addHandlerAsync(type, handler, cb) {
          calls.push({ t: performance.now(), api: 'addHandlerAsync', type });
          if (type === 'olkItemSelectedChanged') handlers.push(handler);
          later(() => cb && cb(ok(undefined)));
        },
      },
    },
  };
  window.__stub = {
    calls,
    banners: (id) => Object.fromEntries(banners.get(id) ?? []),
    /** Selects another message (or null) and fires ItemChanged; returns the time it fired. */
    change(spec) {
      item = makeItem(spec);
      const t = performance.now();
      calls.push({ t, api: 'ItemChanged', item: spec ? spec.id : null });
      for (const h of handlers) h({ type: 'olkItemSelectedChanged' });
      return t;
    },
  };
})();
