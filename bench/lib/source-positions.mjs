/**
 * Where the bytes of a built chunk came from, by its source map (Source Map v3): the source of
 * every byte (the size floors, size-floor.mjs and size-all.mjs, count bytes per source), and a
 * byte's original file, line and column (size-stubs.mjs asks of each uncalled function what its
 * TypeScript source says).
 */
import path from 'node:path';
import { decodeSegment } from './source-map-vlq.mjs';

/**
 * Source-map segments per generated line: [generated column, source index, source line, source
 * column]; a segment without a source (it only ends the one before) has -1 for the last three.
 */
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
      } else segments.push([column, -1, -1, -1]);
    }
    lines.push(segments);
  }
  return lines;
}

/**
 * The source index of every byte of `code`, from a source map's `mappings`. Bytes before a line's
 * first segment, or in a segment without a source, get -1.
 */
export function sourceOfEachByte(code, mappings) {
  const owner = new Int32Array(code.length).fill(-1);
  const lines = code.split('\n');
  const segmentsOf = decodeMappings(mappings);
  let lineStart = 0;
  for (let line = 0; line < lines.length; line++) {
    const segments = segmentsOf[line] ?? [];
    for (let i = 0; i < segments.length; i++) {
      const end = i + 1 < segments.length ? segments[i + 1][0] : lines[line].length;
      owner.fill(segments[i][1], lineStart + segments[i][0], lineStart + end);
    }
    lineStart += lines[line].length + 1;
  }
  return owner;
}

/** `(offset) → { file, line, column }` in the original source, or `undefined` (glue, no mapping). */
export function originalPositions(chunk, mapDir) {
  const lines = decodeMappings(chunk.map.mappings);
  const starts = [0];
  for (let i = 0; i < chunk.code.length; i++) if (chunk.code[i] === '\n') starts.push(i + 1);
  const files = chunk.map.sources.map((source) => path.resolve(mapDir(chunk), source));
  return (offset) => {
    let line = starts.length - 1;
    while (starts[line] > offset) line--;
    const column = offset - starts[line];
    const segment = (lines[line] ?? []).findLast(([generated, source]) => source >= 0 && generated <= column);
    return segment && { file: files[segment[1]], line: segment[2], column: segment[3] };
  };
}
