/**
 * The text that replaces uncalled functions in the realistic size floor (size-stubs.mjs): a stub
 * that loads the moved function later, a class's handover to its moved methods, what is cut, and
 * a whole first-load chunk with all of it applied.
 */
import ts from 'typescript';
import { nameOf, within } from './chunk-functions.mjs';

/** The shared forwarder of a chunk with stubs (`Z`, or another name where the chunk has one): load the later chunk, call the moved function. */
export const forwarderText = (name) => `const ${name}=(n,a,o)=>import("./later.js").then(m=>m[n](o,...a));`;

/** A name that `code` does not use (as an identifier, or as a private name with `#`). */
export function unusedName(code, base) {
  const used = (name) => new RegExp(`(?<![\\w$])${name.replace(/[$#]/g, '\\$&')}(?![\\w$])`).test(code);
  for (let i = 0; ; i++) if (!used(base + (i ? String(i) : ''))) return base + (i ? String(i) : '');
}

/** The text that would stand in for `f` (its class's `#z` and the chunk's forwarder counted apart), or `undefined` when none can. */
export function stubText(f, promise, Z) {
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
 * One first-load chunk as it would be: `functions` (every uncalled function of the first load,
 * each with its fate) applied to `chunk`'s text: moved ones cut, stubs in place, each class with
 * stubbed members given its handover, the chunk's forwarder `Z` added where a stub calls it, and
 * the top-level names moved code still uses exported to it.
 */
export function chunkWithStubs(chunk, functions, Z) {
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
    ...[...classes].map(([node, privates]) => ({ start: node.end - 1, end: node.end - 1, text: handoverText(node, privates, Z) })),
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
  code += (stubbed.length ? forwarderText(Z) : '') + (needed.size ? `export{${[...needed].map((name, i) => `${name} as _${i}`).join(',')}};` : '');
  return code;
}
