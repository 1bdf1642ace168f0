// The extension's manifest and client, without VS Code: the manifest's contributions point at
// files that exist and parse, the snippets parse, and activation starts `dlxc lsp` as configured
// (checked against a stand-in for the `vscode` module and the language client).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const EXT = path.resolve(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(EXT, 'package.json'), 'utf8'));

test('the manifest contributes the language, grammar, snippets and settings', () => {
  const lang = manifest.contributes.languages[0];
  assert.equal(lang.id, 'dlx');
  assert.deepEqual(lang.extensions, ['.dlx']);
  for (const p of [lang.configuration, manifest.contributes.grammars[0].path, manifest.contributes.snippets[0].path, manifest.main]) {
    assert.ok(fs.existsSync(path.join(EXT, p)), `${p} exists`);
  }
  JSON.parse(fs.readFileSync(path.join(EXT, lang.configuration), 'utf8'));
  assert.equal(manifest.contributes.grammars[0].scopeName, 'source.dlx');
  assert.equal(manifest.contributes.configuration.properties['dlx.server.path'].default, 'dlxc');
  const outside = manifest.contributes.configuration.properties['dlx.allowReadsOutsideWorkspace'];
  assert.equal(outside.default, false);
  assert.equal(outside.scope, 'application', 'a workspace cannot allow itself to read outside');
});

test('the language configuration has comments, brackets and auto-closing pairs', () => {
  const conf = JSON.parse(fs.readFileSync(path.join(EXT, 'language-configuration.json'), 'utf8'));
  assert.equal(conf.comments.lineComment, '//');
  assert.deepEqual(conf.comments.blockComment, ['/*', '*/']);
  assert.deepEqual(conf.brackets.map((b) => b[0]).sort(), ['(', '[', '{']);
  assert.ok(conf.autoClosingPairs.some((p) => p.open === '"'));
  for (const key of ['increaseIndentPattern', 'decreaseIndentPattern']) new RegExp(conf.indentationRules[key]);
});

test('the snippets parse and cover model, block, dataset, train and layer chains', () => {
  const snippets = JSON.parse(fs.readFileSync(path.join(EXT, 'snippets', 'dlx.json'), 'utf8'));
  const prefixes = Object.values(snippets).map((s) => s.prefix);
  for (const p of ['model', 'block', 'dataset', 'train', 'conv', 'dense']) assert.ok(prefixes.includes(p), p);
  for (const s of Object.values(snippets)) assert.ok(Array.isArray(s.body) && s.body.length > 0);
});

test('activation starts `dlxc lsp` with the configured path and arguments', async () => {
  const started = [];
  const settings = {
    'server.path': '/opt/dlx/dlxc', 'server.args': ['--verbose'], 'server.env': { DLXC_JAVA_OPTS: '-Xmx1g' },
    allowReadsOutsideWorkspace: true,
  };
  const vscodeStub = {
    workspace: {
      getConfiguration: () => ({ get: (key) => settings[key] }),
      createFileSystemWatcher: (glob) => ({ glob }),
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
    commands: { registerCommand: (name) => ({ name, dispose() {} }) },
    window: { showErrorMessage: (m) => { throw new Error(m); } },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions });
    }
    async start() { started.push(this); }
    async stop() {}
  }
  const stubs = { vscode: vscodeStub, 'vscode-languageclient/node': { LanguageClient, RevealOutputChannelOn: { Never: 4 } } };
  const originalLoad = Module._load;
  Module._load = function (request, parent, isMain) {
    if (Object.prototype.hasOwnProperty.call(stubs, request)) return stubs[request];
    return originalLoad.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[require.resolve(path.join(EXT, 'extension.js'))];
    const ext = require(path.join(EXT, 'extension.js'));
    const context = { subscriptions: [] };
    await ext.activate(context);
    assert.equal(started.length, 1);
    const run = started[0].serverOptions.run;
    assert.equal(run.command, '/opt/dlx/dlxc');
    assert.deepEqual(run.args, ['--verbose', 'lsp']);
    assert.equal(run.options.env.DLXC_JAVA_OPTS, '-Xmx1g');
    assert.deepEqual(started[0].clientOptions.documentSelector.map((s) => s.language), ['dlx', 'dlx']);
    assert.deepEqual(started[0].clientOptions.initializationOptions, { allowReadsOutsideWorkspace: true });
    assert.equal(started[0].clientOptions.synchronize.configurationSection, 'dlx.allowReadsOutsideWorkspace');
    assert.ok(context.subscriptions.some((s) => s.name === 'dlx.restartServer'));
    await ext.deactivate();
  } finally {
    Module._load = originalLoad;
  }
});
