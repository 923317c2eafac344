/** Entry of the 5.x/6.x page (`/v5.html`). */
import { DemoV5App } from './app.js';

const root = document.getElementById('app');
if (root === null) throw new Error('v5.html has no #app element');
const app = new DemoV5App(root);
(window as unknown as { demoV5App: DemoV5App }).demoV5App = app;
void app.start();
