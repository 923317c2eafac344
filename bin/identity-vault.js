#!/usr/bin/env node
// The `identity-vault` command (package.json "bin"). The code lives in src/node/cli.ts, compiled
// to dist/node/cli.js by `npm run build`; `identity-vault --help` lists commands and exit codes.
import { run } from '../dist/node/cli.js';

process.exitCode = await run(process.argv.slice(2));
