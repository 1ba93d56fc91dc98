// The Verbatim extension: starts `verbatim lsp` over stdio and gives it the editor's settings, shows the
// server's findings (diagnostics, hover, code actions come straight from the protocol), and adds a status
// bar item, an output channel and a few commands.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  Location as LspLocation,
  ReferencesRequest,
  ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressCreateRequest,
  WorkDoneProgressEnd,
  WorkDoneProgressReport,
  DidChangeConfigurationNotification,
} from 'vscode-languageclient/node';
import { resolveServer } from './serverPath';
import { corpusGlobs, Inspect, serverSettings } from './settings';
import { StatusState, statusText, statusTooltip } from './status';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
const state: StatusState = { server: 'starting', findings: 0 };

function inspectSetting(): Inspect {
  const cfg = vscode.workspace.getConfiguration('verbatim');
  return <T>(key: string) => cfg.inspect<T>(key);
}

function currentServerSettings(): ReturnType<typeof serverSettings> {
  const problems: string[] = [];
  const settings = serverSettings(inspectSetting(), problems);
  for (const p of problems) output.appendLine(`[settings] ${p}`);
  return settings;
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function refreshStatus(): void {
  statusItem.text = statusText(state);
  statusItem.tooltip = statusTooltip(state);
  statusItem.show();
}

async function countCorpus(): Promise<void> {
  if (!vscode.workspace.workspaceFolders?.length) {
    state.files = undefined;
    refreshStatus();
    return;
  }
  const globs = corpusGlobs(inspectSetting());
  try {
    const files = await vscode.workspace.findFiles(globs.include, globs.exclude, 100_000);
    state.files = files.length;
  } catch (e) {
    output.appendLine(`[status] could not count the corpus: ${String(e)}`);
  }
  refreshStatus();
}

function countFindings(): void {
  let n = 0;
  client?.diagnostics?.forEach((_uri, diagnostics) => {
    n += diagnostics.length;
  });
  state.findings = n;
  refreshStatus();
}

/** Shows the server's indexing progress in the status bar item instead of a notification. */
function watchProgress(c: LanguageClient, context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    c.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      let title = 'indexing';
      const sub = c.onProgress(WorkDoneProgress.type, token, (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
        if (value.kind === 'begin') {
          title = value.title;
          state.indexing = { title, percentage: value.percentage, message: value.message };
        } else if (value.kind === 'report') {
          state.indexing = { title, percentage: value.percentage ?? state.indexing?.percentage, message: value.message };
        } else {
          state.indexing = undefined;
          sub.dispose();
          void countCorpus();
        }
        refreshStatus();
      });
    }),
  );
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const configured = vscode.workspace.getConfiguration('verbatim').inspect<string>('server.path');
  output.appendLine(`verbatim.server.path: ${JSON.stringify(configured)}`);
  const resolution = resolveServer({
    configuredPath: vscode.workspace.getConfiguration('verbatim').get<string>('server.path'),
    workspaceFolder: folder,
    home: os.homedir(),
    pathEnv: process.env.PATH,
    platform: process.platform,
    isExecutable,
  });
  if (resolution.kind === 'missing') {
    state.server = 'missing';
    refreshStatus();
    output.appendLine(resolution.message);
    const choice = await vscode.window.showErrorMessage(resolution.message, 'Open Settings', 'Show Log');
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'verbatim.server.path');
    } else if (choice === 'Show Log') {
      output.show();
    }
    return;
  }
  output.appendLine(`Starting ${resolution.path} lsp (found via ${resolution.via})`);

  const logLevel = vscode.workspace.getConfiguration('verbatim').get<string>('server.logLevel') ?? 'info';
  // TransportKind.stdio makes the client append `--stdio` to the arguments itself.
  const serverOptions: ServerOptions = {
    command: resolution.path,
    args: ['lsp'],
    transport: TransportKind.stdio,
    // The server reads its log filter from VERBATIM_LOG; its log (stderr) goes to the output channel.
    options: { env: { ...process.env, VERBATIM_LOG: process.env.VERBATIM_LOG ?? logLevel } },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'plaintext' },
      { scheme: 'file', language: 'markdown' },
    ],
    initializationOptions: currentServerSettings(),
    outputChannel: output,
    traceOutputChannel: vscode.window.createOutputChannel('Verbatim Trace'),
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      closed: () => {
        state.server = 'stopped';
        refreshStatus();
        return { action: CloseAction.DoNotRestart, message: 'The Verbatim server stopped; see the Verbatim output. Run "Verbatim: Restart server" to start it again.' };
      },
    },
    middleware: {
      workspace: {
        // Answer the server's workspace/configuration requests for "verbatim" with verbatim.toml's keys.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) =>
            item.section === 'verbatim' ? currentServerSettings() : answers[i],
          );
        },
      },
    },
  };

  client = new LanguageClient('verbatim', 'Verbatim', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) state.server = 'running';
      else if (e.newState === State.Starting) state.server = 'starting';
      else state.server = 'stopped';
      refreshStatus();
    }),
  );
  state.server = 'starting';
  refreshStatus();
  try {
    await client.start();
  } catch (e) {
    state.server = 'stopped';
    refreshStatus();
    output.appendLine(`The Verbatim server failed to start: ${String(e)}`);
    void vscode.window.showErrorMessage(`The Verbatim server failed to start: ${String(e)}`);
    return;
  }
  watchProgress(client, context);
  const info = client.initializeResult?.serverInfo;
  if (info) output.appendLine(`Connected to ${info.name}${info.version ? ` ${info.version}` : ''}`);
  countFindings();
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  if (client) {
    const old = client;
    client = undefined;
    try {
      await old.stop(5000);
    } catch (e) {
      output.appendLine(`Stopping the server: ${String(e)}`);
    }
  }
  await startClient(context);
  await countCorpus();
}

async function reindex(context: vscode.ExtensionContext): Promise<void> {
  const commands = client?.initializeResult?.capabilities.executeCommandProvider?.commands ?? [];
  const command = commands.find((c) => /reindex|re-index/i.test(c));
  if (client && command) {
    await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [] });
  } else {
    // The server indexes the corpus when it starts; a restart re-indexes it.
    await restart(context);
  }
  await countCorpus();
}

/** Peeks at every version of the quote under the cursor (the server's references). */
async function showVersions(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !client) {
    void vscode.window.showInformationMessage('Verbatim: open an article and put the cursor on a quote.');
    return;
  }
  const position = editor.selection.active;
  const params = client.code2ProtocolConverter.asTextDocumentPositionParams(editor.document, position);
  let locations: vscode.Location[] = [];
  if (client.initializeResult?.capabilities.referencesProvider) {
    const result = (await client.sendRequest(ReferencesRequest.type, {
      ...params,
      context: { includeDeclaration: true },
    })) as LspLocation[] | null;
    locations = await client.protocol2CodeConverter.asReferences(result ?? []);
  }
  if (locations.length > 0) {
    await vscode.commands.executeCommand('editor.action.showReferences', editor.document.uri, position, locations);
  } else {
    // No references: the hover carries the table of readings.
    await vscode.commands.executeCommand('editor.action.showHover');
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Verbatim');
  statusItem = vscode.window.createStatusBarItem('verbatim.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'Verbatim';
  statusItem.command = 'verbatim.showLog';
  context.subscriptions.push(output, statusItem);
  refreshStatus();

  context.subscriptions.push(
    vscode.commands.registerCommand('verbatim.restartServer', () => restart(context)),
    vscode.commands.registerCommand('verbatim.reindex', () => reindex(context)),
    vscode.commands.registerCommand('verbatim.showVersions', () => showVersions()),
    vscode.commands.registerCommand('verbatim.showLog', () => output.show()),
    // A version only the shared index holds is named `verbatim-index://HOST:PORT/DB/PATH`: opening
    // it (from a finding's related location or the hover) shows, read-only, the text the server
    // has from the index.
    vscode.workspace.registerTextDocumentContentProvider('verbatim-index', {
      provideTextDocumentContent: async (uri) => {
        if (!client?.isRunning()) {
          throw new Error('The Verbatim server is not running: the shared index\'s versions come from it.');
        }
        const answer = await client.sendRequest<{ text: string; path: string }>('verbatim/indexDocument', {
          uri: uri.toString(true),
        });
        return answer.text;
      },
    }),
    vscode.languages.onDidChangeDiagnostics(() => countFindings()),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('verbatim')) return;
      output.appendLine('Settings changed.');
      if (e.affectsConfiguration('verbatim.server')) {
        output.appendLine('Server settings changed: restarting the server.');
        await restart(context);
        return;
      }
      if (client?.isRunning()) {
        await client.sendNotification(DidChangeConfigurationNotification.type, {
          settings: { verbatim: currentServerSettings() },
        });
      }
      await countCorpus();
    }),
  );
  const watcher = vscode.workspace.createFileSystemWatcher('**/*');
  context.subscriptions.push(
    watcher,
    watcher.onDidCreate(() => void countCorpus()),
    watcher.onDidDelete(() => void countCorpus()),
  );

  await startClient(context);
  await countCorpus();
}

export async function deactivate(): Promise<void> {
  if (client) {
    await client.stop();
    client = undefined;
  }
}
