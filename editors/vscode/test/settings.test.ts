import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { corpusGlobs, explicitValue, Inspect, Inspected, serverSettings } from '../src/settings';

/** An inspect() over settings given per level, like VS Code's WorkspaceConfiguration.inspect. */
function inspectOf(levels: { global?: Record<string, unknown>; workspace?: Record<string, unknown>; folder?: Record<string, unknown> }): Inspect {
  return <T>(key: string) => {
    const r: Inspected<T> = {};
    if (levels.global && key in levels.global) r.globalValue = levels.global[key] as T;
    if (levels.workspace && key in levels.workspace) r.workspaceValue = levels.workspace[key] as T;
    if (levels.folder && key in levels.folder) r.workspaceFolderValue = levels.folder[key] as T;
    return r;
  };
}

test('nothing set: no options, so verbatim.toml in the corpus decides', () => {
  assert.deepEqual(serverSettings(inspectOf({})), {});
});

test('each setting maps to its verbatim.toml key', () => {
  const s = serverSettings(
    inspectOf({
      global: {
        'corpus.include': ['stories/**/*.md'],
        'corpus.exclude': ['drafts/**'],
        'corpus.maxFileSize': 1000,
        stories: 'folder',
        sources: { Reuters: 2, 'Harbour Gazette': 0.5 },
        ignore: ['^No comment$'],
        severity: { 'quote-unmatched': 'off', 'speaker-differs': 'error' },
        database: ' postgresql://verbatim@db.newsroom/news ',
      },
    }),
  );
  assert.deepEqual(s, {
    include: ['stories/**/*.md'],
    exclude: ['drafts/**'],
    max_file_size: 1000,
    stories: 'folder',
    sources: { Reuters: 2, 'Harbour Gazette': 0.5 },
    ignore: ['^No comment$'],
    severity: { 'quote-unmatched': 'off', 'speaker-differs': 'error' },
    database: 'postgresql://verbatim@db.newsroom/news',
  });
});

test('a workspace folder value overrides the workspace, which overrides the user', () => {
  assert.equal(explicitValue({ globalValue: 'auto', workspaceValue: 'folder' }), 'folder');
  assert.equal(explicitValue({ globalValue: 1, workspaceValue: 2, workspaceFolderValue: 3 }), 3);
  const s = serverSettings(inspectOf({ global: { stories: 'auto' }, workspace: { stories: 'folder' } }));
  assert.equal(s.stories, 'folder');
});

test('values of the wrong type are dropped and reported', () => {
  const problems: string[] = [];
  const s = serverSettings(
    inspectOf({
      global: {
        stories: 'by-date',
        'corpus.maxFileSize': 'big',
        severity: { 'quote-differs': 'loud', 'made-up-code': 'error', 'name-differs': 'hint' },
        sources: { Reuters: 'two', AP: 1.5 },
        database: 5432,
      },
    }),
    problems,
  );
  assert.deepEqual(s, { severity: { 'name-differs': 'hint' }, sources: { AP: 1.5 } });
  assert.equal(problems.length, 6, problems.join('\n'));
  assert.ok(problems.some((p) => p.includes('made-up-code')));
});

test('the corpus count uses the configured globs', () => {
  assert.deepEqual(corpusGlobs(inspectOf({})), { include: '{**/*.txt,**/*.md}', exclude: undefined });
  assert.deepEqual(corpusGlobs(inspectOf({ global: { 'corpus.include': ['**/*.md'], 'corpus.exclude': ['a/**', 'b/**'] } })), {
    include: '**/*.md',
    exclude: '{a/**,b/**}',
  });
});
