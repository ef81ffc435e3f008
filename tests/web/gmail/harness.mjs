// A stand-in for Apps Script, to run the built Gmail add-on (addin/gmail/dist/) in Node.
//
// `loadAddon()` makes a `vm` context holding only JavaScript built-ins, WebAssembly and console
// (no TextEncoder, TextDecoder, atob, btoa, fetch, setTimeout, crypto, URL), plus fakes of the
// Apps Script services the add-on uses: GmailApp, CardService, UrlFetchApp, Utilities and
// PropertiesService. It runs every .js file of dist/ in it, in the given order.
//
// The CardService fake records builder calls and checks every method name against the real
// API (a method Apps Script lacks throws). `build()` gives back the card v1 JSON the calls
// describe, the shape Card.printJson() prints, so a test can compare the adapter's output
// with the engine's card JSON.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { ROOT } from '../lib.mjs';

export const DIST = join(ROOT, 'addin/gmail/dist');

/** The .js files of dist/, in name order. */
export function distFiles() {
  return readdirSync(DIST).filter((f) => f.endsWith('.js')).sort();
}

// ---- CardService -------------------------------------------------------------------------

// Methods of the real classes (Apps Script reference, card-service). Only these may be called.
const API = {
  CardBuilder: ['addCardAction', 'addSection', 'build', 'setDisplayStyle', 'setFixedFooter',
    'setHeader', 'setName', 'setPeekCardHeader'],
  CardHeader: ['setImageAltText', 'setImageStyle', 'setImageUrl', 'setSubtitle', 'setTitle'],
  CardSection: ['addWidget', 'setCollapseControl', 'setCollapsible', 'setHeader',
    'setNumUncollapsibleWidgets'],
  TextParagraph: ['setMaxLines', 'setText'],
  DecoratedText: ['setAuthorizationAction', 'setBottomLabel', 'setButton', 'setComposeAction',
    'setEndIcon', 'setOnClickAction', 'setOnClickOpenLinkAction', 'setOpenLink', 'setStartIcon',
    'setSwitchControl', 'setText', 'setTopLabel', 'setWrapText'],
  IconImage: ['setAltText', 'setIcon', 'setIconUrl', 'setImageCropType', 'setMaterialIcon'],
  FixedFooter: ['setPrimaryButton', 'setSecondaryButton'],
  TextButton: ['setAltText', 'setAuthorizationAction', 'setBackgroundColor', 'setComposeAction',
    'setDisabled', 'setIcon', 'setMaterialIcon', 'setOnClickAction', 'setOnClickOpenLinkAction',
    'setOpenLink', 'setText', 'setTextButtonStyle'],
  Action: ['setFunctionName', 'setInteraction', 'setLoadIndicator', 'setParameters',
    'setPersistValues'],
  OpenLink: ['setOnClose', 'setOpenAs', 'setUrl'],
  ActionResponseBuilder: ['build', 'setNavigation', 'setNotification', 'setOpenLink',
    'setStateChanged'],
  Notification: ['setText'],
  Navigation: ['popCard', 'popToNamedCard', 'popToRoot', 'printJson', 'pushCard', 'updateCard'],
};

const ICONS = ['NONE', 'AIRPLANE', 'BOOKMARK', 'BUS', 'CAR', 'CLOCK', 'CONFIRMATION_NUMBER_ICON',
  'DOLLAR', 'DESCRIPTION', 'EMAIL', 'EVENT_PERFORMER', 'EVENT_SEAT', 'FLIGHT_ARRIVAL',
  'FLIGHT_DEPARTURE', 'HOTEL', 'HOTEL_ROOM_TYPE', 'INVITE', 'MAP_PIN', 'MEMBERSHIP',
  'MULTIPLE_PEOPLE', 'OFFER', 'PERSON', 'PHONE', 'RESTAURANT_ICON', 'SHOPPING_CART', 'STAR',
  'STORE', 'TICKET', 'TRAIN', 'VIDEO_CAMERA', 'VIDEO_PLAY'];

function enumOf(name, keys) {
  const e = {};
  for (const k of keys) e[k] = Object.freeze({ enum: name, name: k, toString: () => k });
  return Object.freeze(e);
}

function isEnum(v, name) {
  return v && typeof v === 'object' && v.enum === name;
}

function str(v, what) {
  if (typeof v !== 'string') throw new TypeError(`${what}: expected a string, got ${typeof v}`);
  return v;
}

function node(v, cls) {
  if (!v || v.__class !== cls) throw new TypeError(`expected a ${cls}, got ${v && v.__class}`);
  return v.__json();
}

function hexToColor(hex) {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new TypeError(`setBackgroundColor: not #rrggbb: ${hex}`);
  return { red: parseInt(m[1], 16) / 255, green: parseInt(m[2], 16) / 255, blue: parseInt(m[3], 16) / 255, alpha: 1 };
}

const TO_JSON = {
  CardBuilder(calls, building) {
    const card = {};
    for (const [m, a] of calls) {
      if (m === 'setName') card.name = str(a, 'setName');
      else if (m === 'setHeader') card.header = node(a, 'CardHeader');
      else if (m === 'addSection') (card.sections ??= []).push(node(a, 'CardSection'));
      else if (m === 'setFixedFooter') card.fixedFooter = node(a, 'FixedFooter');
    }
    if (building) {
      if (!card.sections?.length) throw new Error('CardBuilder.build: a card needs a section');
      const widgets = card.sections.reduce((n, s) => n + (s.widgets?.length ?? 0), 0);
      if (widgets > 100) throw new Error(`CardBuilder.build: ${widgets} widgets (Google keeps 100)`);
      return { __class: 'Card', __json: () => card, printJson: () => JSON.stringify(card) };
    }
    return card;
  },
  CardHeader(calls) {
    const h = {};
    for (const [m, a] of calls) {
      if (m === 'setTitle') h.title = str(a, 'setTitle');
      else if (m === 'setSubtitle') h.subtitle = str(a, 'setSubtitle');
      else if (m === 'setImageUrl') h.imageUrl = str(a, 'setImageUrl');
      else if (m === 'setImageAltText') h.imageAltText = str(a, 'setImageAltText');
      else if (m === 'setImageStyle') {
        if (!isEnum(a, 'ImageStyle')) throw new TypeError('setImageStyle: not a CardService.ImageStyle');
        h.imageType = a.name;
      }
    }
    if (!h.title) throw new Error('CardHeader: title is required');
    return h;
  },
  CardSection(calls) {
    const s = {};
    for (const [m, a] of calls) {
      if (m === 'setHeader') s.header = str(a, 'setHeader');
      else if (m === 'setCollapsible') s.collapsible = a;
      else if (m === 'setNumUncollapsibleWidgets') s.uncollapsibleWidgetsCount = a;
      else if (m === 'addWidget') {
        if (!a || !['TextParagraph', 'DecoratedText'].includes(a.__class)) {
          throw new TypeError(`addWidget: not a widget: ${a && a.__class}`);
        }
        (s.widgets ??= []).push(a.__json());
      }
    }
    return s;
  },
  TextParagraph(calls) {
    const t = {};
    for (const [m, a] of calls) if (m === 'setText') t.text = str(a, 'TextParagraph.setText');
    return { textParagraph: t };
  },
  DecoratedText(calls) {
    const d = {};
    for (const [m, a] of calls) {
      if (m === 'setText') d.text = str(a, 'DecoratedText.setText');
      else if (m === 'setTopLabel') d.topLabel = str(a, 'setTopLabel');
      else if (m === 'setBottomLabel') d.bottomLabel = str(a, 'setBottomLabel');
      else if (m === 'setWrapText') d.wrapText = a;
      else if (m === 'setStartIcon') d.startIcon = node(a, 'IconImage');
      else throw new Error(`DecoratedText.${m}: not expected from the add-on`);
    }
    if (d.text === undefined) throw new Error('DecoratedText: text is required');
    return { decoratedText: d };
  },
  IconImage(calls) {
    const i = {};
    for (const [m, a] of calls) {
      if (m === 'setIcon') {
        if (!isEnum(a, 'Icon')) throw new TypeError('setIcon: not a CardService.Icon');
        i.knownIcon = a.name;
      } else if (m === 'setIconUrl') i.iconUrl = str(a, 'setIconUrl');
      else if (m === 'setAltText') i.altText = str(a, 'setAltText');
    }
    return i;
  },
  FixedFooter(calls) {
    const f = {};
    for (const [m, a] of calls) {
      if (m === 'setPrimaryButton') f.primaryButton = node(a, 'TextButton');
      else if (m === 'setSecondaryButton') f.secondaryButton = node(a, 'TextButton');
    }
    if (!f.primaryButton) throw new Error('FixedFooter: a primary button is required');
    return f;
  },
  TextButton(calls) {
    const b = {};
    for (const [m, a] of calls) {
      if (m === 'setText') b.text = str(a, 'TextButton.setText');
      else if (m === 'setTextButtonStyle') {
        if (!isEnum(a, 'TextButtonStyle')) throw new TypeError('setTextButtonStyle: not a CardService.TextButtonStyle');
        b.type = a.name;
      } else if (m === 'setBackgroundColor') b.color = hexToColor(a);
      else if (m === 'setOnClickAction') b.onClick = { action: node(a, 'Action') };
      else if (m === 'setOpenLink') b.onClick = { openLink: node(a, 'OpenLink') };
      else throw new Error(`TextButton.${m}: not expected from the add-on`);
    }
    return b;
  },
  Action(calls) {
    const a = {};
    for (const [m, v] of calls) {
      if (m === 'setFunctionName') a.function = str(v, 'setFunctionName');
      else if (m === 'setLoadIndicator') {
        if (!isEnum(v, 'LoadIndicator')) throw new TypeError('setLoadIndicator: not a CardService.LoadIndicator');
        a.loadIndicator = v.name;
      } else if (m === 'setParameters') a.parameters = v;
    }
    return a;
  },
  OpenLink(calls) {
    const o = {};
    for (const [m, a] of calls) if (m === 'setUrl') o.url = str(a, 'OpenLink.setUrl');
    return o;
  },
  ActionResponseBuilder(calls, building) {
    const r = {};
    for (const [m, a] of calls) {
      if (m === 'setNotification') r.notification = node(a, 'Notification');
      else if (m === 'setNavigation') r.navigation = node(a, 'Navigation');
    }
    return building ? { __class: 'ActionResponse', __json: () => r } : r;
  },
  Notification(calls) {
    const n = {};
    for (const [m, a] of calls) if (m === 'setText') n.text = str(a, 'Notification.setText');
    if (!n.text) throw new Error('Notification: text is required');
    return n;
  },
  Navigation(calls) {
    return calls.map(([m, a]) => {
      if (m === 'updateCard' || m === 'pushCard') return { [m]: node(a, 'Card') };
      return { [m]: a ?? true };
    });
  },
};

/** A builder of class `cls`: records calls, rejects methods the real class lacks. */
function newBuilder(cls) {
  const calls = [];
  const allowed = new Set(API[cls]);
  let self;
  const toJson = (building) => TO_JSON[cls](calls, building);
  const target = { __class: cls, __json: () => toJson(false) };
  self = new Proxy(target, {
    get(t, prop) {
      if (prop in t) return t[prop];
      if (typeof prop !== 'string') return undefined;
      if (!allowed.has(prop)) throw new TypeError(`CardService.${cls} has no method ${prop}`);
      return (...args) => {
        if (prop === 'build') return toJson(true);
        calls.push([prop, args[0]]);
        return self;
      };
    },
  });
  return self;
}

export function fakeCardService() {
  const service = {
    Icon: enumOf('Icon', ICONS),
    ImageStyle: enumOf('ImageStyle', ['SQUARE', 'CIRCLE']),
    TextButtonStyle: enumOf('TextButtonStyle', ['OUTLINED', 'TEXT', 'FILLED', 'FILLED_TONAL', 'BORDERLESS']),
    LoadIndicator: enumOf('LoadIndicator', ['SPINNER', 'NONE']),
  };
  for (const cls of Object.keys(API)) service[`new${cls}`] = () => newBuilder(cls);
  return new Proxy(service, {
    get(t, prop) {
      if (prop in t) return t[prop];
      throw new TypeError(`CardService has no member ${String(prop)}`);
    },
  });
}

// ---- GmailApp, UrlFetchApp, PropertiesService, Utilities ---------------------------------

/**
 * messages: { [id]: raw string }. Each id is readable only with its own token
 * (`token-<id>`), set through setCurrentMessageAccessToken first, as in Gmail.
 */
export function fakeGmailApp(messages) {
  const log = [];
  let token = null;
  return {
    log,
    setCurrentMessageAccessToken(t) {
      log.push(['setCurrentMessageAccessToken', t]);
      token = t;
    },
    getMessageById(id) {
      log.push(['getMessageById', id]);
      if (!(id in messages)) throw new Error('Invalid argument: id');
      if (token !== `token-${id}`) throw new Error('Access denied: no access token for this message');
      return { getRawContent: () => messages[id], getId: () => id };
    },
  };
}

/** respond(url, params) → { code, body } or throws. Records every request. */
export function fakeUrlFetchApp(respond = () => ({ code: 201, body: '{"id":"r-1","duplicate":false}' })) {
  const requests = [];
  return {
    requests,
    fetch(url, params) {
      requests.push({ url, params });
      const r = respond(url, params);
      return { getResponseCode: () => r.code, getContentText: () => r.body };
    },
  };
}

export function fakePropertiesService(props = {}) {
  return {
    getScriptProperties: () => ({
      getProperty: (k) => (Object.prototype.hasOwnProperty.call(props, k) ? props[k] : null),
    }),
  };
}

/** Utilities exists in Apps Script; the add-on does not need it, so every use is recorded. */
export function fakeUtilities() {
  const used = [];
  return new Proxy({ used }, {
    get(t, prop) {
      if (prop === 'used') return used;
      used.push(String(prop));
      return () => { throw new Error(`Utilities.${String(prop)} is not faked`); };
    },
  });
}

/**
 * Builds the context and loads dist/. opts: messages, props, respond, order (file names),
 * now (ms, replaces the context's Date.now), console. Returns { context, run(fn, event), fakes }.
 */
export function loadAddon(opts = {}) {
  const fakes = {
    GmailApp: fakeGmailApp(opts.messages ?? {}),
    CardService: fakeCardService(),
    UrlFetchApp: fakeUrlFetchApp(opts.respond),
    PropertiesService: fakePropertiesService(opts.props ?? {}),
    Utilities: fakeUtilities(),
  };
  const context = vm.createContext({ console: opts.console ?? console, WebAssembly, ...fakes });
  if (opts.now !== undefined) {
    vm.runInContext(`Date.now = function () { return ${Number(opts.now)}; };`, context);
  }
  for (const f of opts.order ?? distFiles()) {
    vm.runInContext(readFileSync(join(DIST, f), 'utf8'), context, { filename: f });
  }
  const run = (fn, event) => {
    context.__event = event;
    const out = vm.runInContext(`${fn}(__event)`, context);
    return out && out.__json ? out.__json() : out;
  };
  return { context, run, fakes };
}

/** The event Gmail sends a contextual trigger or a card action for message `id`. */
export function gmailEvent(id, extra = {}) {
  return {
    commonEventObject: { hostApp: 'GMAIL', platform: 'WEB' },
    gmail: { messageId: id, threadId: `t-${id}`, accessToken: `token-${id}` },
    messageMetadata: { messageId: id, accessToken: `token-${id}` },
    ...extra,
  };
}
