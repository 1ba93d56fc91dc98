import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { statusText, statusTooltip } from '../src/status';

test('running: corpus size and findings count', () => {
  assert.equal(statusText({ server: 'running', files: 12, findings: 3 }), '$(quote) Verbatim: 12 files · 3 findings');
  assert.equal(statusText({ server: 'running', files: 1, findings: 1 }), '$(quote) Verbatim: 1 file · 1 finding');
});

test('indexing shows the percentage', () => {
  assert.equal(
    statusText({ server: 'running', files: 12, findings: 0, indexing: { title: 'Indexing', percentage: 41.6 } }),
    '$(sync~spin) Verbatim: indexing 42%',
  );
  assert.match(statusTooltip({ server: 'running', findings: 0, indexing: { title: 'Indexing corpus', message: '3/7' } }), /Indexing corpus — 3\/7/);
});

test('a missing binary is visible in the status bar', () => {
  assert.match(statusText({ server: 'missing', findings: 0 }), /not found/);
});
