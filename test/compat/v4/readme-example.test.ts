/**
 * The README's first example compiles as an Angular app compiles it today: strict, with
 * `noImplicitOverride` on, against the built package. The block is taken from README.md as
 * printed and checked as a file inside this package (so `identity-vault` resolves to dist/ through
 * the package's own exports), without being written to disk.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
// The first TypeScript block that subclasses IonicIdentityVaultUser (the "## Use" example).
const firstExample = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!).find((block) => block.includes('extends IonicIdentityVaultUser'));

describe("the README's first example", () => {
  it('compiles under strict + noImplicitOverride against the built package', () => {
    expect(firstExample).toContain('extends IonicIdentityVaultUser');
    const configPath = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
    const virtual = fileURLToPath(new URL('./readme-example.virtual.ts', import.meta.url));
    const parsed = ts.getParsedCommandLineOfConfigFile(
      configPath,
      { noImplicitOverride: true, strict: true, useUnknownInCatchVariables: true, skipLibCheck: true },
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    )!;
    const host = ts.createCompilerHost(parsed.options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    const getSourceFile = host.getSourceFile.bind(host);
    host.readFile = (name) => (name === virtual ? firstExample : readFile(name));
    host.fileExists = (name) => name === virtual || fileExists(name);
    host.getSourceFile = (name, language, ...rest) =>
      name === virtual ? ts.createSourceFile(name, firstExample!, language) : getSourceFile(name, language, ...rest);
    const program = ts.createProgram({ rootNames: [virtual], options: parsed.options, host });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
    // It really resolved the package, not nothing:
    expect(program.getSourceFiles().some((file) => file.fileName.endsWith('dist/session/identity-vault-user.d.ts'))).toBe(true);
  }, 60_000);
});
