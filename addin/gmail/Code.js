/**
 * Mailward for Gmail: the Apps Script add-on's triggers.
 *
 * - onHomepage: the homepage card (no message open).
 * - onGmailMessageOpen: the contextual trigger. Reads the open message's raw bytes with the
 *   per-message access token, analyses them with the WebAssembly engine (Engine.js, built by
 *   scripts/build-gmail.sh) and shows the engine's card (card v1 JSON → Cards.js → CardService).
 * - onReportPhish: the card's "Report phishing" button. Re-reads the raw message with the
 *   event's per-message token, POSTs it to the configured report endpoint (the server's
 *   POST /v1/reports) with UrlFetchApp, then shows a notification and the updated card.
 *
 * The button's action carries no parameters: the message id and token come from the event
 * Google sends, so no message content ever travels in action parameters. Nothing is logged
 * but error names and HTTP status codes; nothing leaves Google unless the user reports.
 *
 * Configuration: Config.js (written by the build from MAILWARD_GMAIL_* variables), overridden
 * by script properties of the same meaning (Project Settings → Script properties):
 *   MAILWARD_REPORT_URL      the report endpoint, e.g. https://mailward.contoso.com/v1/reports
 *                            (its origin must be in appsscript.json's urlFetchWhitelist);
 *                            empty: no "Report phishing" button
 *   MAILWARD_LEARN_MORE_URL  where "Learn more" leads (default: Gmail Help on phishing)
 *   MAILWARD_POLICY          the engine policy as JSON (README, "Policy"); empty: defaults
 *   MAILWARD_REPORTER        the reporter address sent when the message has no Delivered-To
 */

/** The Apps Script function the card's report button calls (see CardOptions). */
var MAILWARD_REPORT_FUNCTION_ = 'onReportPhish';

/** Homepage trigger. */
function onHomepage(e) {
  return cardFromJson_(homepageCardJson_());
}

/** Contextual trigger: a message was opened. */
function onGmailMessageOpen(e) {
  var gmail = (e && e.gmail) || {};
  if (!gmail.messageId || !gmail.accessToken) return onHomepage(e);
  var settings = settings_();
  try {
    var raw = readRawMessage_(gmail);
    var result = analyzeToCard_(raw, settings, false);
    return cardFromJson_(result.card);
  } catch (err) {
    console.error('Mailward: could not check the message: ' + errorName_(err));
    return cardFromJson_(errorCardJson_(
      'Mailward could not check this message. Reopen it to try again; if this keeps ' +
      'happening, tell your IT team.'));
  }
}

/** The "Report phishing" button. Reads nothing from action parameters. */
function onReportPhish(e) {
  var gmail = (e && e.gmail) || {};
  var settings = settings_();
  if (!settings.reportUrl) {
    return notify_('Reporting is not set up for Mailward. Ask your IT team.');
  }
  if (!gmail.messageId || !gmail.accessToken) {
    return notify_('Open the message again, then report it.');
  }
  var raw;
  var bytes;
  var result;
  try {
    raw = readRawMessage_(gmail);
    bytes = new MailwardTextEncoder_().encode(raw);
    result = analyzeToCard_(raw, settings, true);
  } catch (err) {
    console.error('Mailward: could not read the message to report: ' + errorName_(err));
    return notify_('Mailward could not read this message. Try again.');
  }
  var body = {
    raw: mailwardBase64Encode_(bytes),
    reporter: reporter_(raw, settings),
    clientVerdict: result.report.verdict.level,
  };
  var response;
  try {
    response = UrlFetchApp.fetch(settings.reportUrl, {
      method: 'post',
      contentType: 'application/json',
      payload: JSON.stringify(body),
      muteHttpExceptions: true,
      followRedirects: false,
    });
  } catch (err) {
    console.error('Mailward: report request failed: ' + errorName_(err));
    return notify_('Mailward could not reach the reporting service. Try again later.');
  }
  var code = response.getResponseCode();
  if (code !== 200 && code !== 201) {
    console.error('Mailward: report endpoint answered HTTP ' + code);
    return notify_('Reporting failed (HTTP ' + code + '). Try again later.');
  }
  return CardService.newActionResponseBuilder()
    .setNotification(CardService.newNotification()
      .setText('Thank you. Your security team has the message.'))
    .setNavigation(CardService.newNavigation().updateCard(cardFromJson_(result.card)))
    .build();
}

/** The raw RFC 5322 message, read with the per-message token of the event. */
function readRawMessage_(gmail) {
  GmailApp.setCurrentMessageAccessToken(gmail.accessToken);
  return GmailApp.getMessageById(gmail.messageId).getRawContent();
}

/**
 * Runs the engine on the raw message: `{report, card}` (objects). `reported` selects the
 * card shown after a successful report.
 */
function analyzeToCard_(raw, settings, reported) {
  var engine = mailwardEngine_();
  var bytes = new MailwardTextEncoder_().encode(raw);
  var options = {
    report: settings.reportUrl ? { 'function': MAILWARD_REPORT_FUNCTION_ } : 'none',
    learnMoreUrl: settings.learnMoreUrl || null,
    reported: !!reported,
  };
  if (!settings.learnMoreUrl) delete options.learnMoreUrl; // the engine's default
  var json = engine.analyzeToCard(bytes, settings.policy || undefined,
                                  Math.floor(Date.now() / 1000), JSON.stringify(options));
  return JSON.parse(json);
}

/** Config.js defaults, overridden by non-empty script properties. */
function settings_() {
  var base = (typeof MAILWARD_CONFIG_ === 'object' && MAILWARD_CONFIG_) || {};
  var props = null;
  try {
    props = PropertiesService.getScriptProperties();
  } catch (err) {
    props = null; // no properties: the built-in configuration alone
  }
  var get = function (key, fallback) {
    var v = props ? props.getProperty(key) : null;
    return v !== null && v !== undefined && String(v).trim() !== '' ? String(v).trim() : fallback;
  };
  return {
    reportUrl: get('MAILWARD_REPORT_URL', base.reportUrl || ''),
    learnMoreUrl: get('MAILWARD_LEARN_MORE_URL', base.learnMoreUrl || ''),
    policy: get('MAILWARD_POLICY', base.policy || ''),
    reporter: get('MAILWARD_REPORTER', base.reporter || ''),
  };
}

/**
 * The reporting user's address. The add-on has no scope to ask who the user is, so this is
 * the topmost Delivered-To header, which Gmail writes for the mailbox that received the
 * message (a forged one would sit below it); else the configured fallback.
 */
function reporter_(raw, settings) {
  var end = raw.search(/\r?\n\r?\n/);
  var head = end < 0 ? raw : raw.slice(0, end);
  var m = /^Delivered-To:[ \t]*<?([^\s<>@]+@[^\s<>]+?)>?[ \t]*\r?$/im.exec(head.slice(0, 65536));
  if (m && m[1].length <= 320) return m[1];
  return settings.reporter || 'unknown-gmail-user@invalid';
}

function notify_(text) {
  return CardService.newActionResponseBuilder()
    .setNotification(CardService.newNotification().setText(text))
    .build();
}

/** An error's name only: messages may quote message content. */
function errorName_(err) {
  return (err && err.name) || 'Error';
}
