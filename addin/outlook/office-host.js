// The Outlook host adapter: the only module of the task pane that touches Office.js.
//
// It turns the open message into what the engine takes (the raw message when Mailbox 1.14
// offers `getAsFileAsync`, else headers + HTML body + attachment list), shows and removes the
// native banner under one fixed key, and subscribes to ItemChanged. Every Office callback is
// turned into a Promise that rejects with an Error naming the call that failed.

/** The one notification key of Mailward: replaced on re-analysis, never stacked. */
export const BANNER_KEY = 'mailward-verdict';
/** Outlook's limit for a notification message. */
export const BANNER_MAX = 150;

const Office = () => globalThis.Office;

/** Resolves when Office.js is ready, with { host, platform }. */
export function ready() {
  const office = Office();
  if (!office || typeof office.onReady !== 'function') {
    return Promise.reject(new Error('Office.js did not load: open this page from Outlook.'));
  }
  return office.onReady();
}

/** The message open now, or null (nothing selected, or several messages selected). */
export function currentItem() {
  return Office().context?.mailbox?.item ?? null;
}

/** The signed-in user's address (the reporter of a report), or ''. */
export function userAddress() {
  return Office().context?.mailbox?.userProfile?.emailAddress ?? '';
}

/** Whether this client hands over the raw message (Mailbox 1.14, `getAsFileAsync`). */
export function supportsRaw(item) {
  const req = Office().context?.requirements;
  const set = typeof req?.isSetSupported === 'function' && req.isSetSupported('Mailbox', '1.14');
  return Boolean(set && item && typeof item.getAsFileAsync === 'function');
}

/** Calls `fn(...args, callback)` and settles with the AsyncResult's value or its error. */
function call(what, fn, ...args) {
  return new Promise((resolve, reject) => {
    try {
      fn(...args, (result) => {
        if (result && result.status === Office().AsyncResultStatus.Succeeded) resolve(result.value);
        else reject(new Error(`${what} failed: ${result?.error?.message ?? 'no result'}`));
      });
    } catch (e) {
      reject(new Error(`${what} failed: ${e instanceof Error ? e.message : String(e)}`));
    }
  });
}

/** The raw message as base64 (Mailbox 1.14). */
export function rawBase64(item) {
  return call('getAsFileAsync', item.getAsFileAsync.bind(item));
}

/**
 * What the engine analyses for `item`:
 *   { path: 'raw', base64 }                         Mailbox 1.14, the whole message;
 *   { path: 'parts', parts: { headers, html, attachments } }   older clients.
 */
export async function readMessage(item) {
  if (supportsRaw(item)) return { path: 'raw', base64: await rawBase64(item) };
  const [headers, html] = await Promise.all([
    call('getAllInternetHeadersAsync', item.getAllInternetHeadersAsync.bind(item)),
    call('body.getAsync', item.body.getAsync.bind(item.body), Office().CoercionType.Html),
  ]);
  const attachments = (item.attachments ?? []).map((a) => ({
    name: a.name ?? null,
    contentType: a.contentType ?? null,
    size: typeof a.size === 'number' ? a.size : null,
  }));
  return { path: 'parts', parts: { headers: headers ?? '', html: html ?? null, attachments } };
}

/** Clips to Outlook's limit on a character (code point) boundary. */
export function clipBanner(text) {
  const chars = Array.from(String(text));
  return chars.length <= BANNER_MAX ? chars.join('') : `${chars.slice(0, BANNER_MAX - 1).join('')}…`;
}

/**
 * Shows the report's banner on `item` under BANNER_KEY (informational for caution, error for
 * danger), or removes ours when the report has none. Resolves to what was done.
 */
export async function showBanner(item, report) {
  const nm = item.notificationMessages;
  const banner = report.banner;
  if (!banner || report.verdict?.level === 'safe') {
    try {
      await call('notificationMessages.removeAsync', nm.removeAsync.bind(nm), BANNER_KEY);
    } catch {
      // No banner of ours on this message: nothing to remove.
    }
    return 'removed';
  }
  const types = Office().MailboxEnums.ItemNotificationMessageType;
  const details = banner.level === 'danger'
    ? { type: types.ErrorMessage, message: clipBanner(banner.text) }
    : { type: types.InformationalMessage, message: clipBanner(banner.text), icon: 'Icon.16x16', persistent: false };
  await call('notificationMessages.replaceAsync', nm.replaceAsync.bind(nm), BANNER_KEY, details);
  return details.type;
}

/** Calls `handler()` on every ItemChanged (the pinned pane moving to another message). */
export function onItemChanged(handler) {
  const mailbox = Office().context.mailbox;
  return call('addHandlerAsync(ItemChanged)', mailbox.addHandlerAsync.bind(mailbox),
    Office().EventType.ItemChanged, () => handler());
}
