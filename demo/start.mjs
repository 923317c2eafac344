#!/usr/bin/env node
// `npm start` runs this after the install and build: it loads the demo server (TypeScript,
// compiled on the fly by tsx) which builds the app with Vite and serves it with the API.
import { register } from 'tsx/esm/api';

register();
await import('./server/main.ts');
