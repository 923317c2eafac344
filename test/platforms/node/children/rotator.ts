/**
 * Child process of the rotation crash test: `rotator.ts <dir> <launch>` opens the vault, then
 * changes its protection back and forth forever (passcode set ⇄ device key), each change a
 * data-key rotation that re-encrypts every value in one journal commit, until it is SIGKILLed.
 * Prints `R` when it starts rotating, and `D` as each rotation from the passcode state (to the
 * device key) starts. `<launch>` moves the clock one minute per launch, as if each
 * run of the app came a minute after the last (a rotation mark left by a kill has then expired).
 */
import { createPlugin } from 'identity-vault/platform';
import { createNodePlatform } from 'identity-vault/node';

const [directory, launch] = process.argv.slice(2) as [string, string];
const platform = createNodePlatform({ directory, lock: { staleMs: 2_000 } });
const offset = Number(launch) * 61_000;
const clock = { now: () => Date.now() + offset, setTimer: platform.clock.setTimer.bind(platform.clock) };
const vault = createPlugin({ ...platform, clock }).getVault({ vaultId: 'rot', username: 'u' });
const config = await vault.getConfig();
let passcodeSet = config.isPasscodeEnabled && !config.isPasscodeSetupNeeded;
await vault.unlock(passcodeSet ? true : undefined, passcodeSet ? '1234' : undefined);
process.stdout.write('R\n');
for (;;) {
  if (passcodeSet) {
    process.stdout.write('D\n'); // synchronous on a pipe (Linux): written before the rotation starts
    await vault.setPasscodeEnabled(false);
  } else {
    await vault.setPasscodeEnabled(true);
    await vault.setPasscode('1234');
  }
  passcodeSet = !passcodeSet;
}
