/** Child: `hold-lock.ts <storeDirectory>` takes the store's lock, says `held`, and waits to be killed. */
import { createStoreLock } from '../../../../src/node/store-lock.js';

await createStoreLock(process.argv[2] as string).acquire();
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
