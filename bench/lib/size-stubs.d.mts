/** Types of size-stubs.mjs, for its test (test/bench/size-stubs.test.ts). */
export interface StubbedChunk {
  readonly name: string;
  readonly code: string;
  readonly map: { readonly sources: readonly string[]; readonly mappings: string };
}
export interface ChunkCoverage {
  readonly name: string;
  readonly functions: readonly { readonly ranges: readonly { readonly startOffset: number; readonly endOffset: number; readonly count: number }[] }[];
}
export interface StubSources {
  /** The directory a chunk's source map's `sources` are relative to. */
  mapDir(chunk: StubbedChunk): string;
  /** The package's sources (absolute): only functions from files under it can get a stub. */
  readonly root: string;
  /** The package's public entry (absolute): its exported types' members are callable by name. */
  readonly entry: string;
}
export interface Share {
  readonly count: number;
  readonly minified: number;
}
export interface StubbedFloor {
  readonly texts: string[];
  readonly fates: { readonly name: string | undefined; readonly file: string | undefined; readonly fate: 'moved' | 'stub' | 'whole' }[];
  readonly minified: number;
  readonly gzip: number;
  readonly moved: Share;
  readonly stubbed: Share;
  readonly whole: Share;
  readonly stubBytes: number;
  readonly wholeByFile: { readonly file: string; readonly why: string; readonly minified: number }[];
}
export function stubbedFloor(
  chunks: readonly StubbedChunk[],
  coverage: readonly ChunkCoverage[],
  options?: { synchronousToo?: boolean; sources?: StubSources },
): StubbedFloor;
