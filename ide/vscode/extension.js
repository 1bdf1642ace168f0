// The dlx extension: starts `dlxc lsp` and connects VS Code to it over standard input and output.
// Highlighting, brackets, comments and snippets come from package.json's contributions and work
// without the server.
'use strict';

const vscode = require('vscode');
const { LanguageClient, RevealOutputChannelOn } = require('vscode-languageclient/node');

let client;

/** How to run the server, from the `dlx.server.*` settings. */
function serverOptions(config) {
  const command = config.get('server.path') || 'dlxc';
  const args = [...(config.get('server.args') || []), 'lsp'];
  const env = { ...process.env, ...(config.get('server.env') || {}) };
  // No `transport` here: the server speaks over stdio and takes no `--stdio` flag it does not need.
  const executable = { command, args, options: { env } };
  return { run: executable, debug: executable };
}

/**
 * What the client sends: the documents it syncs and the settings the server reads, in
 * `initializationOptions` at the start and with `workspace/didChangeConfiguration` after a change.
 */
function clientOptions(config) {
  return {
    initializationOptions: { allowReadsOutsideWorkspace: config.get('allowReadsOutsideWorkspace') === true },
    documentSelector: [
      { scheme: 'file', language: 'dlx' },
      { scheme: 'untitled', language: 'dlx' },
    ],
    synchronize: {
      // Imports read from disk change when other files change: the server checks again.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.dlx'),
      // The server reads files outside the workspace folders only when this is on.
      configurationSection: 'dlx.allowReadsOutsideWorkspace',
    },
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
}

async function start() {
  const config = vscode.workspace.getConfiguration('dlx');
  client = new LanguageClient('dlx', 'dlx language server', serverOptions(config), clientOptions(config));
  try {
    await client.start();
  } catch (err) {
    const path = config.get('server.path') || 'dlxc';
    vscode.window.showErrorMessage(
      `dlx: could not start the language server with \`${path} lsp\` (${err && err.message ? err.message : err}). ` +
      'Set "dlx.server.path" to the dlxc launcher of your dlx checkout.');
  }
}

async function stop() {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('dlx.restartServer', async () => {
    await stop();
    await start();
  }));
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (e) => {
    if (e.affectsConfiguration('dlx.server')) {
      await stop();
      await start();
    }
  }));
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverOptions, clientOptions };
