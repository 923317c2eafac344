/** Child: `hold-lock.ts <lockPath>` takes the lock, says `held`, and waits to be killed. */
import { acquireLock } from '../../../../src/node/lock-file.js';

await acquireLock(process.argv[2] as string);
process.stdout.write('held\n');
setInterval(() => undefined, 60_000);
