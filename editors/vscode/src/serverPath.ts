// Finding the `verbatim` binary: the `verbatim.server.path` setting, else `verbatim` on PATH, else
// cargo's default install folder, else a message that says how to install it.
//
// Pure: the file system and the environment come in as arguments, so the unit tests need no VS Code.

import * as path from 'node:path';

export const INSTALL_HINT =
  'Install it with `cargo install --path .` from a checkout of the verbatim repository, ' +
  'or set `verbatim.server.path` to the binary.';

export interface ServerLookup {
  /** The `verbatim.server.path` setting as the user wrote it (may be empty). */
  configuredPath?: string;
  /** The first workspace folder, for `${workspaceFolder}` in the setting. */
  workspaceFolder?: string;
  /** The user's home directory, for `~` in the setting and `~/.cargo/bin`. */
  home?: string;
  /** The PATH environment variable. */
  pathEnv?: string;
  /** `process.platform`. */
  platform: string;
  /** Whether a file exists and may be executed. */
  isExecutable(file: string): boolean;
}

export type ServerResolution =
  | { kind: 'found'; path: string; via: 'setting' | 'PATH' | 'cargo' }
  | { kind: 'missing'; message: string };

/** Expands `~` and `${workspaceFolder}` / `${userHome}` in a configured path. */
export function expandConfiguredPath(raw: string, lookup: Pick<ServerLookup, 'home' | 'workspaceFolder'>): string {
  let p = raw.trim();
  if (lookup.home !== undefined) {
    if (p === '~') p = lookup.home;
    else if (p.startsWith('~/')) p = path.join(lookup.home, p.slice(2));
    p = p.split('${userHome}').join(lookup.home);
  }
  if (lookup.workspaceFolder !== undefined) {
    p = p.split('${workspaceFolder}').join(lookup.workspaceFolder);
  }
  return p;
}

function executableNames(platform: string): string[] {
  return platform === 'win32' ? ['verbatim.exe', 'verbatim.cmd', 'verbatim'] : ['verbatim'];
}

export function resolveServer(lookup: ServerLookup): ServerResolution {
  const configured = lookup.configuredPath?.trim();
  if (configured) {
    const expanded = expandConfiguredPath(configured, lookup);
    const candidate = path.isAbsolute(expanded) || lookup.workspaceFolder === undefined
      ? expanded
      : path.join(lookup.workspaceFolder, expanded);
    if (lookup.isExecutable(candidate)) {
      return { kind: 'found', path: candidate, via: 'setting' };
    }
    return {
      kind: 'missing',
      message: `The Verbatim server set in verbatim.server.path was not found or is not executable: ${candidate}. ` +
        INSTALL_HINT,
    };
  }

  const separator = lookup.platform === 'win32' ? ';' : ':';
  const dirs = (lookup.pathEnv ?? '').split(separator).filter((d) => d.length > 0);
  for (const dir of dirs) {
    for (const name of executableNames(lookup.platform)) {
      const candidate = path.join(dir, name);
      if (lookup.isExecutable(candidate)) {
        return { kind: 'found', path: candidate, via: 'PATH' };
      }
    }
  }

  // A GUI-launched editor often has a PATH without ~/.cargo/bin, where `cargo install` puts it.
  if (lookup.home !== undefined) {
    for (const name of executableNames(lookup.platform)) {
      const candidate = path.join(lookup.home, '.cargo', 'bin', name);
      if (lookup.isExecutable(candidate)) {
        return { kind: 'found', path: candidate, via: 'cargo' };
      }
    }
  }

  return {
    kind: 'missing',
    message: 'The Verbatim language server (`verbatim`) was not found on PATH. ' + INSTALL_HINT,
  };
}
