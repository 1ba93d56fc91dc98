// Editor settings -> the server's configuration.
//
// The server reads the same keys as `verbatim.toml` (`include`, `exclude`, `max_file_size`, `stories`,
// `sources`, `ignore`, `severity`, `database`), and client settings override the file. So only the settings the user
// has set explicitly (user, workspace or folder level) are sent: a default in VS Code must not hide a value
// from the corpus's `verbatim.toml`.
//
// Pure: VS Code's `WorkspaceConfiguration.inspect` results come in through a small interface.

export const FINDING_CODES = [
  'quote-differs',
  'speaker-differs',
  'unattributed-quote',
  'name-differs',
  'quote-unmatched',
] as const;

export const SEVERITY_LEVELS = ['error', 'warning', 'info', 'hint', 'off'] as const;

/** The part of `vscode.WorkspaceConfiguration.inspect()`'s answer that counts. */
export interface Inspected<T> {
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/** Looks up a key below `verbatim.` the way `WorkspaceConfiguration.inspect` does. */
export type Inspect = <T>(key: string) => Inspected<T> | undefined;

/** The value the user set explicitly (the most specific level wins), or undefined. */
export function explicitValue<T>(inspected: Inspected<T> | undefined): T | undefined {
  if (inspected === undefined) return undefined;
  if (inspected.workspaceFolderValue !== undefined) return inspected.workspaceFolderValue;
  if (inspected.workspaceValue !== undefined) return inspected.workspaceValue;
  return inspected.globalValue;
}

/** What the server accepts: the keys of `verbatim.toml`, each optional. */
export interface ServerSettings {
  include?: string[];
  exclude?: string[];
  max_file_size?: number;
  stories?: 'auto' | 'folder';
  sources?: Record<string, number>;
  ignore?: string[];
  severity?: Record<string, string>;
  /** The shared quote index (a PostgreSQL connection string); `""` turns it off. */
  database?: string;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/**
 * Builds the server settings from the explicitly set editor settings. Values of the wrong type are
 * dropped (VS Code does not enforce the schema on hand-edited settings.json); `problems` lists them so
 * the extension can log them.
 */
export function serverSettings(inspect: Inspect, problems: string[] = []): ServerSettings {
  const out: ServerSettings = {};

  const include = explicitValue(inspect<unknown>('corpus.include'));
  if (include !== undefined) {
    const list = stringList(include);
    if (list === undefined) problems.push('verbatim.corpus.include must be a list of globs');
    else out.include = list;
  }

  const exclude = explicitValue(inspect<unknown>('corpus.exclude'));
  if (exclude !== undefined) {
    const list = stringList(exclude);
    if (list === undefined) problems.push('verbatim.corpus.exclude must be a list of globs');
    else out.exclude = list;
  }

  const maxFileSize = explicitValue(inspect<unknown>('corpus.maxFileSize'));
  if (maxFileSize !== undefined) {
    if (typeof maxFileSize === 'number' && Number.isFinite(maxFileSize) && maxFileSize >= 0) {
      out.max_file_size = Math.floor(maxFileSize);
    } else {
      problems.push('verbatim.corpus.maxFileSize must be a number of bytes');
    }
  }

  const stories = explicitValue(inspect<unknown>('stories'));
  if (stories !== undefined) {
    if (stories === 'auto' || stories === 'folder') out.stories = stories;
    else problems.push(`verbatim.stories must be "auto" or "folder", not ${JSON.stringify(stories)}`);
  }

  const sources = explicitValue(inspect<unknown>('sources'));
  if (sources !== undefined) {
    if (typeof sources === 'object' && sources !== null && !Array.isArray(sources)) {
      const weights: Record<string, number> = {};
      for (const [name, weight] of Object.entries(sources as Record<string, unknown>)) {
        if (typeof weight === 'number' && Number.isFinite(weight)) weights[name] = weight;
        else problems.push(`verbatim.sources: the weight of ${JSON.stringify(name)} must be a number`);
      }
      out.sources = weights;
    } else {
      problems.push('verbatim.sources must be an object of source names to weights');
    }
  }

  const ignore = explicitValue(inspect<unknown>('ignore'));
  if (ignore !== undefined) {
    const list = stringList(ignore);
    if (list === undefined) problems.push('verbatim.ignore must be a list of patterns');
    else out.ignore = list;
  }

  const severity = explicitValue(inspect<unknown>('severity'));
  if (severity !== undefined) {
    if (typeof severity === 'object' && severity !== null && !Array.isArray(severity)) {
      const levels: Record<string, string> = {};
      for (const [code, level] of Object.entries(severity as Record<string, unknown>)) {
        if (!(FINDING_CODES as readonly string[]).includes(code)) {
          problems.push(`verbatim.severity: unknown finding code ${JSON.stringify(code)}`);
        } else if (typeof level !== 'string' || !(SEVERITY_LEVELS as readonly string[]).includes(level)) {
          problems.push(`verbatim.severity: ${code} must be one of ${SEVERITY_LEVELS.join(', ')}`);
        } else {
          levels[code] = level;
        }
      }
      out.severity = levels;
    } else {
      problems.push('verbatim.severity must be an object of finding codes to levels');
    }
  }

  const database = explicitValue(inspect<unknown>('database'));
  if (database !== undefined) {
    if (typeof database === 'string') out.database = database.trim();
    else problems.push('verbatim.database must be a connection string');
  }

  return out;
}

/** The globs VS Code's `workspace.findFiles` takes for counting the corpus. */
export function corpusGlobs(inspect: Inspect): { include: string; exclude: string | undefined } {
  const settings = serverSettings(inspect);
  const include = settings.include && settings.include.length > 0 ? settings.include : ['**/*.txt', '**/*.md'];
  const exclude = settings.exclude ?? [];
  const union = (globs: string[]) => (globs.length === 1 ? globs[0] : `{${globs.join(',')}}`);
  return { include: union(include), exclude: exclude.length > 0 ? union(exclude) : undefined };
}
