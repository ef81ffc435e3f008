// The Outlook manifests, validated offline: scripts/gen-outlook-manifest.py writes both for a
// test origin; the unified JSON manifest is validated against the bundled v1.20 schema of
// @microsoft/app-manifest; the XML manifest must be well-formed (xmllint), then converted with
// office-addin-manifest-converter (to manifestVersion 1.20, images not downloaded) and the
// result validated the same way. Also: the committed manifests are what the script writes for
// its default origin, and every icon they name exists.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { AppManifestUtils } from '@microsoft/app-manifest';
import { convert } from 'office-addin-manifest-converter';
import { ROOT } from './lib.mjs';

const ORIGIN = 'https://mailward.contoso.test:8443';
const SCHEMA_URL = 'https://developer.microsoft.com/json-schemas/teams/v1.20/MicrosoftTeams.schema.json';
const SCHEMAS = join(dirname(createRequire(import.meta.url).resolve('@microsoft/app-manifest/package.json')), 'build/json-schemas/teams');
const tmp = mkdtempSync(join(tmpdir(), 'mailward-manifest-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function generate(out, origin) {
  execFileSync('python3', [join(ROOT, 'scripts/gen-outlook-manifest.py'), '--origin', origin, '--out', out], { stdio: 'pipe' });
}

/** Validates against the bundled schema of the manifest's own version (never fetched). */
async function validate(manifest) {
  const file = join(SCHEMAS, `v${manifest.manifestVersion}`, 'MicrosoftTeams.schema.json');
  assert.ok(existsSync(file), `bundled schema for ${manifest.manifestVersion}`);
  return AppManifestUtils.validateAgainstSchema(manifest, JSON.parse(readFileSync(file, 'utf8')));
}

generate(join(tmp, 'gen'), ORIGIN);
const XML = join(tmp, 'gen/manifest.xml');
const JSON_MANIFEST = JSON.parse(readFileSync(join(tmp, 'gen/manifest.json'), 'utf8'));

test('unified JSON manifest: v1.20 schema, spam reporting, pinnable pane, the origin', async () => {
  assert.deepEqual(await validate(JSON_MANIFEST), []);
  assert.ok(Number(JSON_MANIFEST.manifestVersion) >= 1.2 && JSON_MANIFEST.manifestVersion === '1.20');
  const [ext] = JSON_MANIFEST.extensions;
  const spam = ext.ribbons.find((r) => r.contexts.includes('spamReportingOverride'));
  assert.equal(spam.fixedControls[0].actionId, 'onSpamReport');
  assert.ok(spam.spamPreProcessingDialog.spamReportingOptions.options.length >= 1);
  assert.ok(spam.spamPreProcessingDialog.spamFreeTextSectionTitle);
  const runtimes = Object.fromEntries(ext.runtimes.map((r) => [r.id, r]));
  assert.equal(runtimes.TaskPaneRuntime.code.page, `${ORIGIN}/addin/outlook/taskpane.html`);
  assert.equal(runtimes.TaskPaneRuntime.actions[0].pinnable, true);
  assert.equal(runtimes.SpamReportingRuntime.code.script, `${ORIGIN}/addin/outlook/report-handler.js`);
  assert.deepEqual(JSON_MANIFEST.validDomains, ['mailward.contoso.test:8443']);
});

test('XML manifest: well-formed (xmllint), the parts the issue names', () => {
  execFileSync('xmllint', ['--noout', XML], { stdio: 'pipe' });
  const xml = readFileSync(XML, 'utf8');
  for (const needle of ['xsi:type="VersionOverridesV1_1"', 'xsi:type="MessageReadCommandSurface"',
    '<SupportsPinning>true</SupportsPinning>', 'xsi:type="ReportPhishingCommandSurface"', '<PreProcessingDialog>',
    '<ReportingOptions>', '<FreeTextLabel', '<FunctionName>onSpamReport</FunctionName>', '<Permissions>ReadItem</Permissions>',
    `DefaultValue="${ORIGIN}/addin/outlook/report-handler.js"`, '<Override type="javascript"']) {
    assert.ok(xml.includes(needle), needle);
  }
});

test('XML manifest converts to a unified manifest that validates (offline)', async () => {
  const out = join(tmp, 'converted');
  await convert(XML, out, false, SCHEMA_URL, '1.20', false);
  const converted = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
  assert.equal(converted.manifestVersion, '1.20');
  assert.deepEqual(await validate(converted), []);
  const contexts = converted.extensions[0].ribbons.flatMap((r) => r.contexts);
  assert.ok(contexts.includes('mailRead') && contexts.includes('spamReportingOverride'));
});

test('committed manifests match the generator for its default origin; icons exist', () => {
  const out = join(tmp, 'default');
  generate(out, 'https://localhost:3000');
  for (const f of ['manifest.xml', 'manifest.json']) {
    assert.equal(readFileSync(join(ROOT, 'manifest/outlook', f), 'utf8'), readFileSync(join(out, f), 'utf8'), `${f}: run scripts/gen-outlook-manifest.py`);
  }
  const xml = readFileSync(join(ROOT, 'manifest/outlook/manifest.xml'), 'utf8');
  for (const [, path] of xml.matchAll(/https:\/\/localhost:3000\/addin\/(outlook\/icons\/[\w-]+\.png)/g)) {
    assert.ok(existsSync(join(ROOT, 'addin', path)), path);
  }
  for (const f of ['icons/icon-192.png', 'icons/outline-32.png']) assert.ok(existsSync(join(ROOT, 'manifest/outlook', f)));
});
