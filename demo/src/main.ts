/** The demo app's entry point. */
import { DemoApp } from './app.js';

const root = document.getElementById('app');
if (root === null) throw new Error('index.html has no #app element');
const app = new DemoApp(root);
// Exposed for debugging in the console, and for the end-to-end tests to read the screen name.
(window as unknown as { demoApp: DemoApp }).demoApp = app;
void app.start();
