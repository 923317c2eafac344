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
import { repoRoot } from './paths.mjs';
import { decodeSegment } from './source-map-vlq.mjs';

const appDir = path.join(repoRoot, 'bench/size-app');

/** The shared forwarder of a chunk with stubs (`Z`, or another name where the chunk has one): load the later chunk, call the moved function. */
const forwarderText = (name) => `const ${name}=(n,a,o)=>import("./later.js").then(m=>m[n](o,...a));`;

/** A name that `code` does not use (as an identifier, or as a private name with `#`). */
function unusedName(code, base) {
  const used = (name) => new RegExp(`(?<![\\w$])${name.replace(/[$#]/g, '\\$&')}(?![\\w$])`).test(code);
  for (let i = 0; ; i++) if (!used(base + (i ? String(i) : ''))) return base + (i ? String(i) : '');
}

/** Source-map segments per generated line: [generated column, source index, source line, source column]. */
function decodeMappings(mappings) {
  const lines = [];
  let source = 0;
  let sourceLine = 0;
  let sourceColumn = 0;
  for (const lineText of mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of lineText.split(',')) {
      if (segment === '') continue;
      const fields = decodeSegment(segment);
      column += fields[0];
      if (fields.length >= 4) {
        source += fields[1];
        sourceLine += fields[2];
        sourceColumn += fields[3];
        segments.push([column, source, sourceLine, sourceColumn]);
      }
    }
    lines.push(segments);
  }
  return lines;
}

/** `(offset) → { file, line, column }` in the original source, or `undefined` (glue, no mapping). */
function originalPositions(chunk, mapDir) {
  const lines = decodeMappings(chunk.map.mappings);
  const starts = [0];
  for (let i = 0; i < chunk.code.length; i++) if (chunk.code[i] === '\n') starts.push(i + 1);
  const files = chunk.map.sources.map((source) => path.resolve(mapDir(chunk), source));
  return (offset) => {
    let line = starts.length - 1;
    while (starts[line] > offset) line--;
    const column = offset - starts[line];
    const segment = (lines[line] ?? []).findLast(([generated]) => generated <= column);
    return segment && { file: files[segment[1]], line: segment[2], column: segment[3] };
  };
}

/** Whether the TypeScript source's function at a position returns a promise (`async`, or a `Promise` return type). */
function promiseCheck(files, packageSources, publicEntry) {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(repoRoot, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const returnsPromise = ({ file, line, column }) => {
    const source = program.getSourceFile(file);
    if (!source) return false;
    const position = source.getPositionOfLineAndCharacter(line, column);
    let innermost;
    const visit = (node) => {
      if (position < node.getStart(source) || position >= node.end) return;
      if (ts.isFunctionLike(node) && node.body) innermost = node;
      node.forEachChild(visit);
    };
    visit(source);
    if (!innermost || innermost.asteriskToken) return false;
    if (ts.getModifiers(innermost)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return true;
    const signature = checker.getSignatureFromDeclaration(innermost);
    const returned = signature && checker.getReturnTypeOfSignature(signature);
    return returned?.getSymbol()?.getName() === 'Promise';
  };
  return { returnsPromise, publicNames: publicMemberNames(program, checker, packageSources, publicEntry) };
}

/**
 * Names an app can call on what the package hands it: every member of every type `src/index.ts`
 * exports, and of the types those members take and give (through promises), as far as they are
 * the package's own types. Plus the names the platform itself calls (a thenable's `then`, JSON's
 * `toJSON`, a Proxy's traps, an event listener object's `handleEvent`).
 */
function publicMemberNames(program, checker, src, publicEntry) {
  const names = new Set([
    'then',
    'toJSON',
    'toString',
    'valueOf',
    'handleEvent',
    'get',
    'set',
    'has',
    'apply',
    'construct',
    'deleteProperty',
    'ownKeys',
    'getOwnPropertyDescriptor',
    'defineProperty',
  ]);
  const seen = new Set();
  const ours = (type) => type.getSymbol()?.declarations?.some((d) => d.getSourceFile().fileName.startsWith(src)) === true;
  const visit = (type, depth) => {
    if (!type || seen.has(type) || depth > 6) return;
    seen.add(type);
    if (type.isUnionOrIntersection()) return type.types.forEach((t) => visit(t, depth));
    if (type.getSymbol()?.getName() === 'Promise') return checker.getTypeArguments(type).forEach((t) => visit(t, depth));
    if (!ours(type)) return;
    for (const property of type.getProperties()) {
      names.add(property.getName());
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      if (!declaration) continue;
      const propertyType = checker.getTypeOfSymbolAtLocation(property, declaration);
      visit(propertyType, depth + 1);
      for (const signature of propertyType.getCallSignatures()) {
        visit(checker.getReturnTypeOfSignature(signature), depth + 1);
        for (const parameter of signature.getParameters()) visit(checker.getTypeOfSymbolAtLocation(parameter, declaration), depth + 1);
      }
    }
    for (const signature of [...type.getConstructSignatures(), ...type.getCallSignatures()]) visit(checker.getReturnTypeOfSignature(signature), depth + 1);
  };
  const index = program.getSourceFile(publicEntry);
  for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(index))) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!declaration) continue;
    visit(checker.getDeclaredTypeOfSymbol(symbol), 0);
    visit(checker.getTypeOfSymbolAtLocation(symbol, declaration), 0);
  }
  return names;
}

/** The first-load chunks as one TypeScript program of JavaScript files (for name resolution only). */
function chunkProgram(chunks) {
  const root = '/chunks/';
  const texts = new Map(chunks.map((chunk) => [root + chunk.name, chunk.code]));
  const options = {
    allowJs: true,
    noEmit: true,
    noLib: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
  };
  const host = ts.createCompilerHost(options);
  host.fileExists = (file) => texts.has(file);
  host.readFile = (file) => texts.get(file);
  host.getSourceFile = (file, language) => (texts.has(file) ? ts.createSourceFile(file, texts.get(file), language, true, ts.ScriptKind.JS) : undefined);
  host.getDefaultLibFileName = () => '/chunks/none.d.ts';
  host.getCurrentDirectory = () => root;
  const program = ts.createProgram([...texts.keys()], options, host);
  return { program, checker: program.getTypeChecker(), sourceOf: (chunk) => program.getSourceFile(root + chunk.name) };
}

const isAsync = (node) => ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) === true;
const within = (node, outer) => node.getStart() >= outer.getStart() && node.end <= outer.end;

/** The symbol a name stands for, through imports. */
function resolved(checker, identifier) {
  let symbol = checker.getSymbolAtLocation(identifier);
  while (symbol && symbol.flags & ts.SymbolFlags.Alias) {
    const target = checker.getAliasedSymbol(symbol);
    if (!target || target === symbol) break;
    symbol = target;
  }
  return symbol;
}

/** What one uncalled function is: its node, kind (member, property, binding, inline), its name's symbol, what it uses. */
function describe(fn, node, checker) {
  const parent = node.parent;
  let kind = 'inline';
  let name;
  if (ts.isClassLike(parent)) kind = 'member';
  else if (ts.isObjectLiteralExpression(parent) || ts.isPropertyAssignment(parent)) kind = 'property';
  else if (ts.isFunctionDeclaration(node) && node.name) [kind, name] = ['binding', node.name];
  else if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isIdentifier(parent.name)) [kind, name] = ['binding', parent.name];
  const privates = new Map(); // private name → assigned?
  const captures = new Map(); // local of an enclosing function → assigned?
  const topLevel = new Set(); // the chunk's top-level bindings it uses
  let usesThis = false;
  let usesSuper = false;
  const assigned = (n) =>
    (ts.isBinaryExpression(n.parent) &&
      n.parent.left === n &&
      n.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
      n.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
    ((ts.isPrefixUnaryExpression(n.parent) || ts.isPostfixUnaryExpression(n.parent)) &&
      [ts.SyntaxKind.PlusPlusToken, ts.SyntaxKind.MinusMinusToken].includes(n.parent.operator));
  const visit = (n) => {
    if (n.kind === ts.SyntaxKind.SuperKeyword) usesSuper = true;
    if (n.kind === ts.SyntaxKind.ThisKeyword) usesThis = true;
    if (ts.isPrivateIdentifier(n) && ts.isPropertyAccessExpression(n.parent)) {
      const name = n.text.slice(1);
      privates.set(name, privates.get(name) === true || assigned(n.parent));
    }
    const isName =
      (ts.isPropertyAccessExpression(n.parent) || ts.isPropertyAssignment(n.parent) || ts.isClassElement(n.parent) || ts.isMethodDeclaration(n.parent)) &&
      n.parent.name === n;
    if (ts.isIdentifier(n) && !isName && !(ts.isBindingElement(n.parent) && n.parent.propertyName === n)) {
      const symbol = checker.getSymbolAtLocation(n);
      const declaration = symbol?.declarations?.[0];
      if (declaration && !within(declaration, node)) {
        const container = ts.findAncestor(declaration.parent, (a) => ts.isFunctionLike(a) || ts.isClassLike(a) || ts.isSourceFile(a));
        if (container && ts.isSourceFile(container)) topLevel.add(n.text);
        else if (container) captures.set(n.text, captures.get(n.text) === true || assigned(n));
      }
    }
    n.forEachChild(visit);
  };
  node.forEachChild(visit);
  return { ...fn, node, kind, name, symbol: name && checker.getSymbolAtLocation(name), privates, captures, topLevel, usesThis, usesSuper };
}

/** The name of a method, accessor or property (for a property's value, its property's name). */
const nameOf = (node) => node.name ?? (ts.isPropertyAssignment(node.parent) ? node.parent.name : undefined);

/** The text that would stand in for `f` (its class's `#z` and the chunk's forwarder counted apart), or `undefined` when none can. */
function stubText(f, promise, Z) {
  const node = f.node;
  if (!promise || f.usesSuper || node.asteriskToken) return undefined;
  if (ts.isConstructorDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) return undefined;
  if ([...f.captures.values()].some(Boolean)) return undefined; // a closure that assigns its surroundings' locals
  const name = nameOf(node);
  const key = name ? name.getText().replace(/^#/, '') : f.name ? f.name.text : `f${f.index}`;
  // A property's value alone is replaced (`name: value`), a method of an object literal whole (`name(){}`).
  const label = node.name ? `${node.name.getText()}:` : '';
  const handed = [...f.captures.keys(), ...(f.usesThis && f.kind !== 'member' && !ts.isFunctionExpression(node) ? ['t:this'] : [])];
  const extra = handed.length ? `,{${handed.join(',')}}` : '';
  if (f.kind === 'member') {
    const isStatic = ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
    const handover = unusedName(node.parent.getText(), '#z');
    return isStatic ? `static ${node.name.getText()}(...a){return ${Z}("${key}",a,this)}` : `${node.name.getText()}(...a){return this.${handover}("${key}",a)}`;
  }
  if (f.privates.size > 0) {
    // A closure inside a class that uses its private members: through the class's handover.
    const owner = ts.findAncestor(node.parent, ts.isClassLike);
    if (!owner || !f.usesThis) return undefined;
    f.owner = owner;
    const call = `this.${unusedName(owner.getText(), '#z')}("${key}",a${f.captures.size ? `,{${[...f.captures.keys()].join(',')}}` : ''})`;
    if (f.kind === 'property') return `${label}(...a)=>${call}`;
    return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) ? undefined : `(...a)=>${call}`;
  }
  if (f.kind === 'property') return `${label}(...a)=>${Z}("${key}",a${extra})`;
  if (ts.isFunctionDeclaration(node)) return `function ${key}(...a){return ${Z}("${key}",a${extra})}`;
  return `(...a)=>${Z}("${key}",a${extra})`;
}

/**
 * One class's handover to its moved methods: the instance, and an accessor per private member they
 * use that stays in the class (a private method that moved too is called there directly).
 */
function handoverText(node, privates, Z) {
  const accessors = [...privates].map(([name, written]) => `get ${name}(){return t.#${name}}${written ? `,set ${name}(v){t.#${name}=v}` : ''}`);
  return `${unusedName(node.getText(), '#z')}(n,a,c){const t=this;return ${Z}(n,a,{t,c${accessors.length ? ',' + accessors.join(',') : ''}})}`;
}

/**
 * What to cut for a function that moves or is stubbed: its own text, or for a moved `const f = …`
 * its declarator (and a comma), or the whole statement when it declares nothing else.
 */
function cutRange(f) {
  const node = f.node;
  const declarator = node.parent;
  if (f.fate !== 'moved' || !ts.isVariableDeclaration(declarator) || declarator.initializer !== node) return { start: node.getStart(), end: node.end };
  const list = declarator.parent;
  if (list.declarations.length === 1) return { start: list.parent.getStart(), end: list.parent.end };
  const index = list.declarations.indexOf(declarator);
  const next = list.declarations[index + 1];
  if (next) return { start: declarator.getStart(), end: next.getStart() };
  return { start: list.declarations[index - 1].end, end: declarator.end };
}

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
  let text = '';
  const texts = [];
  for (const chunk of chunks) {
    const own = functions.filter((f) => f.chunk === chunk.name && f.fate !== 'whole').sort((a, b) => a.node.getStart() - b.node.getStart());
    const outer = own.filter((f) => !own.some((g) => g !== f && within(f.node, g.node)));
    const stubbed = outer.filter((f) => f.fate === 'stub');
    const classes = new Map();
    for (const f of stubbed.filter((s) => (s.kind === 'member' && !s.stub.startsWith('static ')) || s.owner)) {
      const owner = f.owner ?? f.node.parent;
      const privates = classes.get(owner) ?? new Map();
      const gone = new Set(
        outer.filter((g) => g.node.parent === owner && g.node.name !== undefined && ts.isPrivateIdentifier(g.node.name)).map((g) => g.node.name.text.slice(1)),
      );
      for (const [name, written] of f.privates) if (!gone.has(name)) privates.set(name, privates.get(name) === true || written);
      classes.set(owner, privates);
    }
    // Each edit: cut [start, end) and put text there; a class's handover goes before its closing brace.
    const edits = [
      ...outer.map((f) => ({ ...cutRange(f), text: f.fate === 'stub' ? f.stub : '' })),
      ...[...classes].map(([node, privates]) => ({ start: node.end - 1, end: node.end - 1, text: handoverText(node, privates, forwarder.get(chunk.name)) })),
    ].sort((a, b) => a.start - b.start || a.end - b.end);
    let code = '';
    let at = 0;
    for (const edit of edits) {
      code += chunk.code.slice(at, edit.start) + edit.text;
      at = edit.end;
    }
    code += chunk.code.slice(at);
    // The top-level names moved code still uses, exported to it (those not already exported).
    const exported = new Set(
      chunk.code
        .match(/export\s*\{([^}]*)\}/)?.[1]
        .split(',')
        .map((s) => s.trim().split(/\s+as\s+/)[0]) ?? [],
    );
    const movedNames = new Set(outer.filter((f) => f.fate === 'moved').map((f) => f.name?.text));
    const needed = new Set(outer.flatMap((f) => [...f.topLevel]).filter((name) => !exported.has(name) && !movedNames.has(name)));
    // Moved functions leave the chunk's export list (a later chunk imports them from where they went).
    code = code.replace(
      /export\s*\{([^}]*)\}/,
      (all, list) =>
        `export{${list
          .split(',')
          .filter((s) => !movedNames.has(s.trim().split(/\s+as\s+/)[0]))
          .join(',')}}`,
    );
    code +=
      (stubbed.length ? forwarderText(forwarder.get(chunk.name)) : '') +
      (needed.size ? `export{${[...needed].map((name, i) => `${name} as _${i}`).join(',')}};` : '');
    text += code;
    texts.push(code);
  }
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
