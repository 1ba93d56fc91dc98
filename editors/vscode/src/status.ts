// The status bar item's text and tooltip, from what the extension knows about the server.
// Pure, so the unit tests can check what a user reads.

export interface StatusState {
  /** starting | running | stopped | missing (binary not found) */
  server: 'starting' | 'running' | 'stopped' | 'missing';
  /** Number of article files in the corpus, when counted. */
  files?: number;
  /** Findings published for the documents the editor knows. */
  findings: number;
  /** Set while the server reports indexing progress. */
  indexing?: { title: string; percentage?: number; message?: string };
}

export function statusText(state: StatusState): string {
  if (state.server === 'missing') return '$(error) Verbatim: server not found';
  if (state.server === 'stopped') return '$(debug-stop) Verbatim: stopped';
  if (state.indexing) {
    const pct = state.indexing.percentage !== undefined ? ` ${Math.round(state.indexing.percentage)}%` : '';
    return `$(sync~spin) Verbatim: indexing${pct}`;
  }
  if (state.server === 'starting') return '$(sync~spin) Verbatim: starting';
  const parts: string[] = [];
  if (state.files !== undefined) parts.push(plural(state.files, 'file'));
  parts.push(plural(state.findings, 'finding'));
  return `$(quote) Verbatim: ${parts.join(' · ')}`;
}

export function statusTooltip(state: StatusState): string {
  const lines = ['Verbatim — click to show the server log'];
  if (state.files !== undefined) lines.push(`Corpus: ${plural(state.files, 'article file')}`);
  lines.push(`Findings in open documents: ${state.findings}`);
  if (state.indexing) {
    lines.push(`Indexing: ${state.indexing.title}${state.indexing.message ? ` — ${state.indexing.message}` : ''}`);
  }
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
