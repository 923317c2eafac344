/**
 * What the package's TypeScript sources say, for the realistic size floor (size-stubs.mjs): whether
 * the function at a source position returns a promise (so its callers already wait, and a stub that
 * loads it later can stand in), and which member names an app can call on what the package hands it.
 */
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './paths.mjs';

/** Whether the TypeScript source's function at a position returns a promise (`async`, or a `Promise` return type). */
export function promiseCheck(files, packageSources, publicEntry) {
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
