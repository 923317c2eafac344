#!/usr/bin/env node
// The `identity-vault` command (package.json "bin"). The code lives in src/cli/ (a table of
// commands in src/cli/commands.ts), compiled to dist/cli/index.js by `npm run build`;
// `identity-vault --help` lists commands and exit codes.
import { run } from '../dist/cli/index.js';

process.exitCode = await run(process.argv.slice(2));
