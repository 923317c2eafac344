/**
 * The built chunks read as JavaScript, for the realistic size floor (size-stubs.mjs): one
 * TypeScript program over them (names resolved as JavaScript sees them, through imports), and what
 * one uncalled function is: its kind, name, and what it uses from its surroundings.
 */
import ts from 'typescript';

/** The first-load chunks as one TypeScript program of JavaScript files (for name resolution only). */
export function chunkProgram(chunks) {
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

export const isAsync = (node) => ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) === true;
export const within = (node, outer) => node.getStart() >= outer.getStart() && node.end <= outer.end;

/** The symbol a name stands for, through imports. */
export function resolved(checker, identifier) {
  let symbol = checker.getSymbolAtLocation(identifier);
  while (symbol && symbol.flags & ts.SymbolFlags.Alias) {
    const target = checker.getAliasedSymbol(symbol);
    if (!target || target === symbol) break;
    symbol = target;
  }
  return symbol;
}

/** What one uncalled function is: its node, kind (member, property, binding, inline), its name's symbol, what it uses. */
export function describe(fn, node, checker) {
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
export const nameOf = (node) => node.name ?? (ts.isPropertyAssignment(node.parent) ? node.parent.name : undefined);
