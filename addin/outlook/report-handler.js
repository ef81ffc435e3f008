/*
 * Mailward spam-reporting handler (ReportPhishingCommandSurface, Mailbox 1.14).
 *
 * Classic Outlook on Windows runs this file alone in a JavaScript-only runtime, so it stays
 * small, dependency-free and ES2016 (no async/await, no modules, no wasm; checked by
 * tests/web/handler.test.mjs). Outlook on the web, new Outlook and Mac load it from
 * report-handler.html.
 *
 * It gets the message with getAsFileAsync, POSTs it with the reasons and free text of the
 * preprocessing dialog to the report endpoint (policy.json's report.url next to this file,
 * else /v1/reports), then completes: moved to Junk with a thank-you on success; on any
 * failure the message stays where it is and the dialog says what went wrong.
 */
(function (root) {
  'use strict';

  var DEFAULT_REPORT_URL = '/v1/reports';
  var TITLE = 'Mailward';

  function baseUrl() {
    try {
      if (root.location && root.location.href) return String(root.location.href);
    } catch (e) { /* no location in this runtime */ }
    return '';
  }

  /* Resolves against this file's location without URL (not every runtime has it). */
  function resolve(url) {
    var base = baseUrl().split('#')[0].split('?')[0];
    var origin = /^[a-z][a-z0-9+.-]*:\/\/[^\/]+/i.exec(base);
    if (/^[a-z][a-z0-9+.-]*:/i.test(url) || !origin) return url;
    if (url.charAt(0) === '/') return origin[0] + url;
    return base.slice(0, base.lastIndexOf('/') + 1) + url;
  }

  /* method, url, body (string or null) → callback(error, status, text) */
  function request(method, url, body, done) {
    var called = false;
    function callback(err, status, text) {
      if (called) return;
      called = true;
      done(err, status, text);
    }
    if (typeof root.fetch === 'function') {
      var init = { method: method, cache: 'no-store' };
      if (body !== null) {
        init.headers = { 'Content-Type': 'application/json' };
        init.body = body;
      }
      root.fetch(url, init).then(function (res) {
        return res.text().then(function (text) { callback(null, res.status, text); });
      }).then(null, function (e) { callback(e || new Error('network error')); });
      return;
    }
    var xhr = new root.XMLHttpRequest();
    xhr.open(method, url, true);
    if (body !== null) xhr.setRequestHeader('Content-Type', 'application/json');
    xhr.onload = function () { callback(null, xhr.status, xhr.responseText); };
    xhr.onerror = function () { callback(new Error('network error')); };
    xhr.send(body);
  }

  /* callback(reportUrl): policy.json's report.url, or the default when it is absent. */
  function reportUrl(callback) {
    request('GET', resolve('policy.json'), null, function (err, status, text) {
      var url = DEFAULT_REPORT_URL;
      if (!err && status === 200) {
        try {
          var policy = JSON.parse(text);
          if (policy && policy.report && typeof policy.report.url === 'string' && policy.report.url) {
            url = policy.report.url;
          }
        } catch (e) { /* a broken policy.json: the default endpoint */ }
      }
      callback(resolve(url));
    });
  }

  function errorMessage(result) {
    return result && result.error && result.error.message ? result.error.message : 'unknown error';
  }

  function complete(event, ok, description) {
    var enums = root.Office.MailboxEnums.MoveSpamItemTo;
    event.completed({
      onErrorDeleteItem: false,
      moveItemTo: ok ? enums.JunkFolder : enums.NoMove,
      showPostProcessingDialog: {
        title: ok ? TITLE + ': reported' : TITLE + ': report not sent',
        description: description
      }
    });
  }

  function fail(event, why) {
    complete(event, false, 'The message was not reported and stays where it is: ' + why +
      '. Try again, or forward it to your security team.');
  }

  function reasonsOf(options) {
    var picked = options && options.reportedOptions ? options.reportedOptions : [];
    var out = [];
    for (var i = 0; i < picked.length && out.length < 32; i++) out.push(String(picked[i]).slice(0, 200));
    return out;
  }

  function onSpamReport(event) {
    var office = root.Office;
    var mailbox = office.context.mailbox;
    var item = mailbox.item;
    if (!item || typeof item.getAsFileAsync !== 'function') {
      fail(event, 'this version of Outlook cannot hand over the message');
      return;
    }
    item.getAsFileAsync(function (result) {
      if (result.status !== office.AsyncResultStatus.Succeeded) {
        fail(event, 'Outlook could not read the message (' + errorMessage(result) + ')');
        return;
      }
      var options = event.options || {};
      var body = {
        raw: result.value,
        reporter: mailbox.userProfile && mailbox.userProfile.emailAddress ? mailbox.userProfile.emailAddress : '',
        reasons: reasonsOf(options)
      };
      if (options.freeText) body.comment = String(options.freeText).slice(0, 4000);
      reportUrl(function (url) {
        request('POST', url, JSON.stringify(body), function (err, status) {
          if (err) {
            fail(event, 'the report server could not be reached');
          } else if (status < 200 || status > 299) {
            fail(event, 'the report server answered HTTP ' + status);
          } else {
            complete(event, true, 'Thank you. Your security team has the message; it was moved to Junk Email.');
          }
        });
      });
    });
  }

  root.mailwardOnSpamReport = onSpamReport;
  if (root.Office && root.Office.actions && typeof root.Office.actions.associate === 'function') {
    root.Office.actions.associate('onSpamReport', onSpamReport);
  }
}(typeof self !== 'undefined' ? self : this));
