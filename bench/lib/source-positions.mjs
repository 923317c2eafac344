/**
 * Where a byte of a built chunk came from: its source map read back to the original file, line and
 * column (Source Map v3), for the realistic size floor (size-stubs.mjs), which asks of each uncalled
 * function what its TypeScript source says.
 */
import path from 'node:path';
import { decodeSegment } from './source-map-vlq.mjs';

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
export function originalPositions(chunk, mapDir) {
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
