import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { resolveServer, expandConfiguredPath } from '../src/serverPath';

function lookup(executables: string[], extra: Partial<Parameters<typeof resolveServer>[0]> = {}) {
  const set = new Set(executables);
  return {
    platform: 'linux',
    home: '/home/ana',
    pathEnv: '/usr/local/bin:/usr/bin',
    isExecutable: (f: string) => set.has(f),
    ...extra,
  };
}

test('the verbatim.server.path setting wins over PATH', () => {
  const r = resolveServer(lookup(['/opt/v/verbatim', '/usr/bin/verbatim'], { configuredPath: '/opt/v/verbatim' }));
  assert.deepEqual(r, { kind: 'found', path: '/opt/v/verbatim', via: 'setting' });
});

test('a setting that points nowhere is an error naming the path and the install command, not a PATH fallback', () => {
  const r = resolveServer(lookup(['/usr/bin/verbatim'], { configuredPath: '/nowhere/verbatim' }));
  assert.equal(r.kind, 'missing');
  assert.match(r.kind === 'missing' ? r.message : '', /\/nowhere\/verbatim/);
  assert.match(r.kind === 'missing' ? r.message : '', /cargo install --path \./);
});

test('~ and ${workspaceFolder} are expanded; a relative setting is relative to the workspace folder', () => {
  assert.equal(expandConfiguredPath('~/bin/verbatim', { home: '/home/ana' }), '/home/ana/bin/verbatim');
  assert.equal(
    expandConfiguredPath('${workspaceFolder}/target/release/verbatim', { workspaceFolder: '/ws' }),
    '/ws/target/release/verbatim',
  );
  const r = resolveServer(lookup(['/ws/target/debug/verbatim'], { configuredPath: 'target/debug/verbatim', workspaceFolder: '/ws' }));
  assert.deepEqual(r, { kind: 'found', path: '/ws/target/debug/verbatim', via: 'setting' });
});

test('without a setting, the first verbatim on PATH is used', () => {
  const r = resolveServer(lookup(['/usr/bin/verbatim', '/usr/local/bin/verbatim']));
  assert.deepEqual(r, { kind: 'found', path: '/usr/local/bin/verbatim', via: 'PATH' });
});

test('an empty setting counts as unset', () => {
  const r = resolveServer(lookup(['/usr/bin/verbatim'], { configuredPath: '   ' }));
  assert.deepEqual(r, { kind: 'found', path: '/usr/bin/verbatim', via: 'PATH' });
});

test('~/.cargo/bin is tried when PATH lacks it', () => {
  const r = resolveServer(lookup(['/home/ana/.cargo/bin/verbatim']));
  assert.deepEqual(r, { kind: 'found', path: '/home/ana/.cargo/bin/verbatim', via: 'cargo' });
});

test('nothing found: a clear error with the install command', () => {
  const r = resolveServer(lookup([]));
  assert.equal(r.kind, 'missing');
  assert.match(r.kind === 'missing' ? r.message : '', /not found/);
  assert.match(r.kind === 'missing' ? r.message : '', /cargo install --path \./);
});

test('on Windows PATH is split on ; and verbatim.exe is found', () => {
  const r = resolveServer({
    platform: 'win32',
    pathEnv: 'C:\\tools;C:\\bin',
    isExecutable: (f) => f.endsWith('verbatim.exe') && f.startsWith('C:\\bin'),
  });
  assert.equal(r.kind, 'found');
});
