#!/usr/bin/env node
// `npm run build` starts from an empty dist/, so a module removed from src/ does not linger in
// dist/ and ship in the package.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
