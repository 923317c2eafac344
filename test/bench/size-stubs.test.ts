/**
 * The realistic size floor's rules (bench/lib/size-stubs.mjs), on a fixture whose coverage the
 * test states: what counts as reachable, which uncalled functions get a stub, which stay whole and
 * which move with no stub, and that the first load it gzips is still JavaScript.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { stubbedFloor, type ChunkCoverage, type StubbedChunk, type StubSources } from '../../bench/lib/size-stubs.mjs';

const fixture = fileURLToPath(new URL('./fixtures/stub-floor/', import.meta.url));
const outdir = path.join(fixture, 'dist');

/** The functions the test says did not run before the "prompt" (all others did). */
const UNCALLED = new Set(['write', 'peek', '#bump', 'doubledOnlyForBump', 'describeLater']);

/** The fixture app as one chunk with its source map, and V8-shaped coverage made from UNCALLED. */
async function fixtureChunk(): Promise<{ chunk: StubbedChunk; coverage: ChunkCoverage[] }> {
  const result = await build({
    entryPoints: [path.join(fixture, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: 'external',
    outdir,
    write: false,
    logLevel: 'silent',
  });
  const file = (ending: string) => result.outputFiles.find((output) => output.path.endsWith(ending))!.text;
  const chunk = { name: 'main.js', code: file('main.js'), map: JSON.parse(file('main.js.map')) as StubbedChunk['map'] };
  const functions: ChunkCoverage['functions'][number][] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const name = node.name?.getText();
      functions.push({ ranges: [{ startOffset: node.getStart(), endOffset: node.end, count: name !== undefined && UNCALLED.has(name) ? 0 : 1 }] });
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('main.js', chunk.code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS));
  return { chunk, coverage: [{ name: chunk.name, functions }] };
}

const sources: StubSources = { mapDir: () => outdir, root: fixture.replace(/\/$/, ''), entry: path.join(fixture, 'index.ts') };

describe('the realistic size floor (bench/lib/size-stubs.mjs)', () => {
  it('stubs what stays reachable and returns a promise, keeps synchronous code whole, moves what only moved code uses', async () => {
    const { chunk, coverage } = await fixtureChunk();
    const floor = stubbedFloor([chunk], coverage, { sources });
    const fate = Object.fromEntries(floor.fates.map((f) => [f.name, f.fate]));
    expect(fate).toEqual({
      write: 'stub', // a method of the class the package hands out, async
      peek: 'whole', // a method too, but its callers take a number in their own turn
      '#bump': 'moved', // private, used only by write, which moved
      doubledOnlyForBump: 'moved', // used only by #bump
      describeLater: 'stub', // named by start(), which ran; async
    });
    expect(floor.fates.every((f) => f.file === 'test/bench/fixtures/stub-floor/index.ts')).toBe(true);
    const [text] = floor.texts;
    // Still JavaScript: the cuts, stubs, handover and forwarder parse.
    await expect(transform(text!, { loader: 'js', format: 'esm' })).resolves.toBeDefined();
    expect(text).not.toContain('doubledOnlyForBump(value)');
    expect(text).toContain('write(...a){return this.#z("write",a)}');
    // The class hands its private member over to the moved methods; #bump moved with write, so it is not handed over.
    expect(text).toContain('#z(n,a,c){const t=this;return Z(n,a,{t,c,get state(){return t.#state}})}');
    expect(text).toContain('const Z=(n,a,o)=>import("./later.js")');
    expect(floor.minified).toBe(text!.length);
    expect(floor.minified).toBeLessThan(chunk.code.length);
    expect(floor.stubbed).toMatchObject({ count: 2 });
    expect(floor.whole).toMatchObject({ count: 1 });
    expect(floor.wholeByFile).toEqual([{ file: 'test/bench/fixtures/stub-floor/index.ts', why: 'synchronous', minified: expect.any(Number) }]);
  });

  it('with synchronousToo, a synchronous method gets a stub as well (the stubs-alone bound)', async () => {
    const { chunk, coverage } = await fixtureChunk();
    const floor = stubbedFloor([chunk], coverage, { sources, synchronousToo: true });
    expect(Object.fromEntries(floor.fates.map((f) => [f.name, f.fate]))).toMatchObject({ peek: 'stub', write: 'stub', '#bump': 'moved' });
  });
});
