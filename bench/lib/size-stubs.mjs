/**
 * The realistic floor under "before the first prompt" (issue 16): the first-load chunks without
 * the text of every function V8 never called before the prompt, where each such function that
 * code which stays can still reach is replaced by the smallest stub that could stand in for it,
 * or kept whole where no stub can. size-floor.mjs gives the coverage; this module decides, from
 * the chunks' own syntax and the TypeScript sources behind them, what each uncalled function
 * becomes, and gzips the result.
 *
 * What counts as reachable (an uncalled function that code which stays can call later):
 * - a method or accessor of a class, or a property of an object literal, whose name an app can
 *   call (a member of a type the package's entry exports, or of the types those members take and
 *   give; or a name the platform calls: `then`, `toJSON`, a Proxy's traps) or code that stays
 *   uses (`x.name`, `x["name"]`, a destructured `{ name }`, a string that may become a key): by
 *   name, since which object a call reaches is not known from the minified text. A private one
 *   (`#name`) when code of its class that stays uses it. A constructor always;
 * - a function made inside code that stays (a callback, an event handler, a returned function);
 * - a named function (declaration or `const f = () => …`) whose name is used by code that stays,
 *   in its own chunk or, through an import, in another chunk loaded before the prompt. Names are
 *   resolved by TypeScript's checker over the chunks (scopes, shadowing and imports as JavaScript
 *   sees them). A named function used only by code that moves moves with it, no stub.
 * Code that stays: everything but the uncalled functions that move; a function kept whole stays,
 * so its references count too (computed to a fixed point).
 *
 * What a reachable function becomes:
 * - a **stub**, when its callers already wait for a promise (the TypeScript source's function is
 *   `async` or returns a `Promise`): the stub forwards its arguments to the moved implementation
 *   (`Z`, one per chunk: `import()` the later chunk, call the function there), with what the body
 *   used from its surroundings handed over — for a class, one private `#z` per class that gives the
 *   implementation its instance and a get (and, where the body assigns, set) accessor per private
 *   member the moved methods use (as `VaultState.writes()` hands `#held` to VaultWrites); for a
 *   closure, the enclosing function's locals it reads, by value (a closure that assigns one of
 *   them cannot move);
 * - **whole**, when no stub can stand in: a synchronous function (a getter, a constructor, an
 *   event handler that must act in the caller's turn, a check that throws synchronously), one
 *   that uses `super`, or one whose stub would be longer than itself.
 * Bindings of the chunk's top level that moved code still uses are exported to it (`x as y`).
 * Not counted: where call order matters, a real stub first enters the class's queue (a few bytes
 * more per class, as `VaultEngine`'s operations do); the later chunk's own size (the "all chunks"
 * figure grows by what moves, plus gzip context).
 */
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import ts from 'typescript';
import { chunkProgram, describe, isAsync, nameOf, resolved, within } from './chunk-functions.mjs';
import { promiseCheck } from './package-types.mjs';
import { repoRoot } from './paths.mjs';
import { originalPositions } from './source-positions.mjs';
import { chunkWithStubs, stubText, unusedName } from './stub-text.mjs';

const appDir = path.join(repoRoot, 'bench/size-app');

/**
 * Where the size app's sources are: the directory its chunks' source maps are relative to (Vite
 * writes them beside each chunk in `dist/`), the package's sources, and its public entry.
 */
const SIZE_APP_SOURCES = {
  mapDir: (chunk) => path.join(appDir, 'dist', path.dirname(chunk.name)),
  root: path.join(repoRoot, 'src'),
  entry: path.join(repoRoot, 'src/index.ts'),
};

/**
 * The realistic floor of one app: `chunks` the first-load chunks (Vite's, with source maps),
 * `coverage` V8's for them until the first prompt (size-floor.mjs). `synchronousToo`: as if every
 * caller of a synchronous function could wait for a promise too (a stub for it as well; only
 * constructors, accessors and `super` users stay whole): what the stubs alone cost. Returns the minified and
 * gzipped size of the first load with every uncalled function moved, stubbed or kept whole, and
 * what became of them.
 */
export function stubbedFloor(chunks, coverage, { synchronousToo = false, sources = SIZE_APP_SOURCES } = {}) {
  const { checker, sourceOf } = chunkProgram(chunks);
  const positions = new Map(chunks.map((chunk) => [chunk.name, originalPositions(chunk, sources.mapDir)]));
  const sourceFiles = [...new Set(chunks.flatMap((chunk) => chunk.map.sources.map((s) => path.resolve(sources.mapDir(chunk), s))))].filter(
    (file) => file.startsWith(sources.root + path.sep) && file.endsWith('.ts'),
  );
  const { returnsPromise, publicNames } = promiseCheck([...sourceFiles, sources.entry], sources.root, sources.entry);
  const functions = [];
  const forwarder = new Map(chunks.map((chunk) => [chunk.name, unusedName(chunk.code, 'Z')]));
  for (const entry of coverage) {
    const chunk = chunks.find((c) => c.name === entry.name);
    const source = sourceOf(chunk);
    const nodes = [];
    const walk = (n) => {
      if (ts.isFunctionLike(n) && n.body) nodes.push(n);
      n.forEachChild(walk);
    };
    walk(source);
    for (const fn of entry.functions) {
      const { startOffset, endOffset, count } = fn.ranges[0];
      if (count !== 0) continue;
      // V8 starts a method at its name, TypeScript at its modifiers: the nearest start not after V8's.
      const node = nodes.filter((n) => n.end === endOffset && n.getStart() <= startOffset + 1).sort((a, b) => b.getStart() - a.getStart())[0];
      if (!node) continue; // a class's field initialisers (a few bytes): they stay
      const original = positions.get(chunk.name)(startOffset);
      const f = describe({ chunk: chunk.name, index: functions.length }, node, checker);
      f.promise = isAsync(node) || (original !== undefined && returnsPromise(original));
      f.original = original && path.relative(repoRoot, original.file);
      f.stub = stubText(f, f.promise || synchronousToo, forwarder.get(chunk.name));
      f.length = node.end - node.getStart();
      functions.push(f);
    }
  }
  // Which uncalled functions stay (whole or stubbed), to a fixed point: a function kept whole is
  // code that stays, so the names it uses are reachable too.
  const uses = new Map(); // symbol → identifiers that use it, in any first-load chunk
  for (const chunk of chunks) {
    const visit = (n) => {
      if (ts.isIdentifier(n) && !ts.isImportSpecifier(n.parent) && !ts.isExportSpecifier(n.parent) && !ts.isImportClause(n.parent)) {
        const symbol = resolved(checker, n);
        if (symbol) {
          if (!uses.has(symbol)) uses.set(symbol, []);
          uses.get(symbol).push({ chunk: chunk.name, node: n });
        }
      }
      n.forEachChild(visit);
    };
    visit(sourceOf(chunk));
  }
  // Names read as properties (`x.name`, `x["name"]`, a destructured `{ name }`, a string that
  // may become a key, as engine-events.ts's `listener[kind]`), and private names used, anywhere
  // in the first-load chunks.
  const propertyUses = [];
  const privateUses = [];
  for (const chunk of chunks) {
    const visit = (n) => {
      if (ts.isPropertyAccessExpression(n) && !ts.isPrivateIdentifier(n.name)) propertyUses.push({ chunk: chunk.name, node: n, name: n.name.text });
      else if (ts.isStringLiteralLike(n)) propertyUses.push({ chunk: chunk.name, node: n, name: n.text });
      else if (ts.isBindingElement(n) && ts.isObjectBindingPattern(n.parent))
        propertyUses.push({ chunk: chunk.name, node: n, name: (n.propertyName ?? n.name).getText() });
      if (ts.isPrivateIdentifier(n) && !(ts.isClassElement(n.parent) && n.parent.name === n)) privateUses.push({ chunk: chunk.name, node: n, name: n.text });
      n.forEachChild(visit);
    };
    visit(sourceOf(chunk));
  }
  for (const f of functions) f.fate = 'moved';
  const inMoved = (chunk, node) => functions.some((f) => f.fate !== 'whole' && f.chunk === chunk && within(node, f.node));
  const isReachable = (f, usedNames) => {
    if (f.kind === 'binding') return (uses.get(f.symbol) ?? []).some((use) => use.node !== f.name && !inMoved(use.chunk, use.node));
    const name = nameOf(f.node);
    if (f.kind === 'inline' || ts.isConstructorDeclaration(f.node) || !name) return true;
    if (ts.isPrivateIdentifier(name))
      return privateUses.some((use) => use.chunk === f.chunk && use.name === name.text && within(use.node, f.node.parent) && !inMoved(use.chunk, use.node));
    if (ts.isComputedPropertyName(name)) return true;
    return publicNames.has(name.text) || usedNames.has(name.text);
  };
  for (let changed = true; changed;) {
    changed = false;
    const usedNames = new Set(propertyUses.filter((use) => !inMoved(use.chunk, use.node)).map((use) => use.name));
    for (const f of functions) {
      const fate = !isReachable(f, usedNames) ? 'moved' : f.stub !== undefined && f.stub.length < f.length ? 'stub' : 'whole';
      if (fate !== f.fate) [f.fate, changed] = [fate, true];
    }
  }
  // The first load as it would be: each chunk's text with moved functions cut, stubs in place.
  const texts = chunks.map((chunk) => chunkWithStubs(chunk, functions, forwarder.get(chunk.name)));
  const text = texts.join('');
  const summary = (fate) => {
    const chosen = functions.filter((f) => f.fate === fate);
    return { count: chosen.length, minified: chosen.reduce((sum, f) => sum + f.length, 0) };
  };
  const wholeBy = new Map();
  for (const f of functions.filter((g) => g.fate === 'whole')) {
    const node = f.node;
    const why =
      f.stub !== undefined
        ? 'shorter than a stub'
        : ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)
          ? 'constructors and accessors'
          : !f.promise && !synchronousToo
            ? 'synchronous'
            : "uses super, or assigns its surroundings' locals";
    const key = `${f.original ?? '(Vite and Rollup glue)'}\u0000${why}`;
    wholeBy.set(key, (wholeBy.get(key) ?? 0) + f.length);
  }
  return {
    texts,
    // Each uncalled function: its name (a method's, a property's, a binding's; `undefined` for a callback), source file and fate.
    fates: functions.map((f) => ({ name: (nameOf(f.node) ?? f.name)?.getText(), file: f.original, fate: f.fate })),
    minified: text.length,
    gzip: gzipSync(text, { level: 9 }).length,
    moved: summary('moved'),
    stubbed: summary('stub'),
    whole: summary('whole'),
    stubBytes: functions.filter((f) => f.fate === 'stub').reduce((sum, f) => sum + f.stub.length, 0),
    wholeByFile: [...wholeBy]
      .map(([key, minified]) => ({ file: key.split('\u0000')[0], why: key.split('\u0000')[1], minified }))
      .sort((a, b) => b.minified - a.minified),
  };
}
