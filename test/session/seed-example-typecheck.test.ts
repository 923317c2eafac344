/**
 * The seed's example class type-checks as printed (see seed-example.test.ts), under this
 * repository's strict settings minus noUnusedLocals / noUnusedParameters / noImplicitOverride,
 * which the example's own text breaks (comment-only hook bodies, unused `http`/`router`, no
 * `override`). One program is built, with noImplicitOverride on: its only diagnostics are the
 * three missing `override`s (TS4114, which only that flag produces), so with the flag off —
 * tsconfig.seed-example.json as it is — there are none, and an app with Angular's default
 * tsconfig (noImplicitOverride on, no noUnused*) needs only `override` added.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

describe('the seed example', () => {
  it('type-checks with tsconfig.seed-example.json; with noImplicitOverride on, it lacks only `override`', () => {
    const configPath = fileURLToPath(new URL('./tsconfig.seed-example.json', import.meta.url));
    const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { noImplicitOverride: true }, host);
    expect(parsed?.fileNames.map((name) => name.split('/').at(-1))).toEqual(['seed-example.test.ts']);
    const program = ts.createProgram({ rootNames: parsed!.fileNames, options: parsed!.options });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ({
      code: d.code,
      line: d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    expect(diagnostics.map((d) => d.code)).toEqual([4114, 4114, 4114]);
  }, 60_000);
});
