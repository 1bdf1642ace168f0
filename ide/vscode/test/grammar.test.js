// Tokenizes every sample (samples/**/*.dlx) with the TextMate grammar, as VS Code does
// (vscode-textmate + vscode-oniguruma), and checks the scopes against dlx's own lexical rules:
// keywords, numbers with units (70%, 10deg), sizes (3x3), strings and comments.
// Run: npm ci && node --test test/
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const GRAMMAR = path.resolve(__dirname, '..', 'syntaxes', 'dlx.tmLanguage.json');

let grammarPromise;
function grammar() {
  if (!grammarPromise) {
    const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm')).buffer;
    const onigLib = oniguruma.loadWASM(wasm).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) => scopeName === 'source.dlx'
        ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, 'utf8'), GRAMMAR)
        : null,
    });
    grammarPromise = registry.loadGrammar('source.dlx');
  }
  return grammarPromise;
}

/** Every line's tokens: [{line, start, end, text, scopes}]. */
async function tokenize(text) {
  const g = await grammar();
  let stack = vsctm.INITIAL;
  const out = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const r = g.tokenizeLine(line, stack);
    for (const t of r.tokens) {
      out.push({ line: i, start: t.startIndex, end: Math.min(t.endIndex, line.length), text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    stack = r.ruleStack;
  });
  return out;
}

/** The scopes at a line and column. */
function scopesAt(tokens, line, column) {
  const t = tokens.find((x) => x.line === line && x.start <= column && column < x.end);
  return t ? t.scopes : [];
}

function has(scopes, prefix) {
  return scopes.some((s) => s === prefix || s.startsWith(prefix + '.'));
}

/**
 * dlx's lexical rules (grammar/src/main/antlr4/dev/dlx/grammar/DlxLexer.g4), for finding the
 * tokens whose scopes the grammar must get right: comments, strings, sizes, numbers, keywords.
 */
function reference(text) {
  const rules = [
    ['comment', /\/\/[^\r\n]*/y],
    ['comment', /\/\*[\s\S]*?\*\//y],
    ['string', /"(?:[^"\\\r\n]|\\.)*"/y],
    ['size', /[0-9]+(?:x[0-9]+)+/y],
    ['number', /[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?:%|deg)?/y],
    ['word', /[A-Za-z_][A-Za-z0-9_]*\(?/y],
    ['space', /[ \t\f\r\n]+/y],
    ['other', /\.\.|->|[\s\S]/y],
  ];
  const out = [];
  let i = 0;
  while (i < text.length) {
    for (const [kind, re] of rules) {
      re.lastIndex = i;
      const m = re.exec(text);
      if (!m) continue;
      out.push({ kind, offset: i, text: m[0] });
      i += m[0].length;
      break;
    }
  }
  return out;
}

function lineCol(text, offset) {
  const before = text.slice(0, offset);
  const line = (before.match(/\n/g) || []).length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) };
}

function samples() {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.dlx')) found.push(p);
    }
  };
  walk(path.join(ROOT, 'samples'));
  return found.sort();
}

const DECLARATIONS = ['import', 'dataset', 'block', 'model', 'train', 'evaluate', 'search'];

test('there are samples to tokenize', () => {
  assert.ok(samples().length >= 5, `samples under ${ROOT}/samples`);
});

for (const file of samples()) {
  test(`scopes of ${path.relative(ROOT, file)}`, async () => {
    const text = fs.readFileSync(file, 'utf8');
    const tokens = await tokenize(text);
    const lex = reference(text);
    let checked = 0;
    let previousCode = null;
    for (const t of lex) {
      if (t.kind === 'space') continue;
      const { line, column } = lineCol(text, t.offset);
      const at = (delta) => scopesAt(tokens, line, column + delta);
      const where = `${path.basename(file)}:${line + 1}:${column + 1} \`${t.text}\``;
      if (t.kind === 'comment') {
        const end = lineCol(text, t.offset + t.text.length - 1);
        assert.ok(has(at(0), 'comment'), `${where} should be a comment: ${at(0)}`);
        assert.ok(has(scopesAt(tokens, end.line, end.column), 'comment'), `${where} should end as a comment`);
        checked++;
        continue;
      }
      if (t.kind === 'string') {
        for (const d of [0, t.text.length - 1]) assert.ok(has(at(d), 'string.quoted.double'), `${where} should be a string: ${at(d)}`);
        checked++;
      } else if (t.kind === 'size') {
        assert.ok(has(at(0), 'constant.numeric'), `${where} should be a number: ${at(0)}`);
        assert.ok(has(at(t.text.length - 1), 'constant.numeric'), `${where} should be a number to its end`);
        checked++;
      } else if (t.kind === 'number') {
        assert.ok(has(at(0), 'constant.numeric'), `${where} should be a number: ${at(0)}`);
        const unit = t.text.endsWith('%') ? 1 : t.text.endsWith('deg') ? 3 : 0;
        if (unit) {
          const u = at(t.text.length - unit);
          assert.ok(has(u, 'keyword.other.unit'), `${where}: the unit should be scoped as one: ${u}`);
          assert.ok(has(u, 'constant.numeric'), `${where}: the unit is part of the number: ${u}`);
        }
        checked++;
      } else if (t.kind === 'word' && DECLARATIONS.includes(t.text)
          && (previousCode === null || previousCode.text === '}' || lineCol(text, previousCode.offset).line < line)
          && column === 0) {
        const s = at(0);
        assert.ok(has(s, 'keyword') || has(s, 'storage.type'), `${where} should be a keyword: ${s}`);
        checked++;
      }
      previousCode = t;
    }
    assert.ok(checked > 0, 'nothing was checked');
  });
}

test('keywords, names, numbers with units, strings and comments in one snippet', async () => {
  const text = [
    'import "blocks.dlx"   // shared blocks',
    'dataset digits {',
    '    split train 70%, val 15%, test 15% shuffle seed 42',
    '    augment train { rotate 10deg p 0.5 }',
    '}',
    '/* a block',
    '   comment */',
    'block convbn(filters, k = 3) {',
    '    conv filters k padding same bias false -> batchnorm -> relu',
    '}',
    'model Net(image [8, 8, 1]) -> [10] {',
    '    let y = image -> conv 8 3x3 -> relu',
    '    return y',
    '}',
    'train Net on digits { optimizer adam lr 1e-3 }',
    'evaluate Net on digits.test',
  ].join('\n');
  const tokens = await tokenize(text);
  const at = (line, needle, delta = 0) => {
    const column = text.split('\n')[line].indexOf(needle);
    assert.ok(column >= 0, `${needle} on line ${line + 1}`);
    return scopesAt(tokens, line, column + delta);
  };
  assert.ok(has(at(0, 'import'), 'keyword.control.import'));
  assert.ok(has(at(0, '"blocks'), 'string.quoted.double'));
  assert.ok(has(at(0, 'blocks.dlx'), 'string.quoted.double'));
  assert.ok(has(at(0, '// shared'), 'comment.line.double-slash'));
  assert.ok(has(at(1, 'dataset'), 'storage.type'));
  assert.ok(has(at(1, 'digits'), 'entity.name.type'));
  assert.ok(has(at(2, 'split'), 'keyword.other.statement'));
  assert.ok(has(at(2, '70%'), 'constant.numeric'));
  assert.ok(has(at(2, '70%', 2), 'keyword.other.unit.percent'));
  assert.ok(has(at(2, '42'), 'constant.numeric'));
  assert.ok(has(at(3, '10deg'), 'constant.numeric'));
  assert.ok(has(at(3, '10deg', 2), 'keyword.other.unit.degrees'));
  assert.ok(has(at(3, '0.5'), 'constant.numeric'));
  assert.ok(has(at(5, '/*'), 'comment.block'));
  assert.ok(has(at(6, 'comment'), 'comment.block'), 'a block comment goes on over lines');
  assert.ok(has(at(7, 'block'), 'storage.type'));
  assert.ok(has(at(7, 'convbn'), 'entity.name.function'));
  assert.ok(has(at(7, '3'), 'constant.numeric'));
  assert.ok(has(at(8, 'conv'), 'support.function.layer'));
  assert.ok(has(at(8, 'same'), 'constant.language'));
  assert.ok(has(at(8, 'false'), 'constant.language.boolean'));
  assert.ok(has(at(8, '->'), 'keyword.operator.arrow'));
  assert.ok(has(at(10, 'model'), 'storage.type'));
  assert.ok(has(at(10, 'Net'), 'entity.name.type'));
  assert.ok(has(at(11, 'let'), 'keyword.control'));
  assert.ok(has(at(11, '3x3'), 'constant.numeric.size'));
  assert.ok(has(at(12, 'return'), 'keyword.control'));
  assert.ok(has(at(14, 'train'), 'keyword.other'));
  assert.ok(has(at(14, ' on ', 1), 'keyword.other'));
  assert.ok(has(at(14, '1e-3'), 'constant.numeric'));
  assert.ok(has(at(14, '1e-3', 3), 'constant.numeric'), 'the exponent is part of the number');
  assert.ok(has(at(15, 'evaluate'), 'keyword.other'));
});

test('a number glued to a name is not a number, and `0..63` is two numbers', async () => {
  const tokens = await tokenize('    relu6 -> conv2d 8 3\n    source csv "x" { features 0..63, label 64 }');
  assert.ok(has(scopesAt(tokens, 0, 8), 'support.function.layer'), 'relu6 is a layer kind');
  assert.ok(!has(scopesAt(tokens, 0, 8), 'constant.numeric'));
  const line = '    source csv "x" { features 0..63, label 64 }';
  assert.ok(has(scopesAt(tokens, 1, line.indexOf('0..')), 'constant.numeric'));
  assert.ok(has(scopesAt(tokens, 1, line.indexOf('..')), 'keyword.operator.range'));
  assert.ok(has(scopesAt(tokens, 1, line.indexOf('63')), 'constant.numeric'));
});
