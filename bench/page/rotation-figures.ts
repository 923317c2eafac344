/**
 * Data-key rotation (issue 11): what a change of protection costs when every value is
 * re-encrypted under a new data key in one IndexedDB transaction, at 10, 1,000 and 10,000 values of
 * 1 KB, against idb-keyval `setMany` of the same values (one transaction, durability 'strict').
 * The timed change is turning the passcode off (a rotation with no KDF in it). Both timed
 * operations start right after the same untimed setup, the passcode turned back on and set (two
 * rotations and the KDF), so both meet the storage in the state that setup leaves: before, only the
 * rotation always followed it and `setMany` every other round, and at 1,000 values the rotation's
 * ratio read 0.08–0.29 higher for it (three same-page pairs, 15 rounds each, load 1.4–2.5; at 10
 * values four pairs moved −0.14 to +0.10, no direction).
 */
import { setMany } from 'idb-keyval';
import { open, sealBytes, type SealedStored } from '../../src/core/envelope.js';
import { EARLY_MAX } from '../../src/core/key-rotation.js';
import { KnownValues } from '../../src/core/known-values.js';
import { recordFingerprint } from '../../src/core/value-records.js';
import { keyvalStoreWithDurability } from './baselines.js';
import { FIXTURE_GUARD, rotationFloor } from './rotation-floor.js';
import { sealedRecords } from './sealed-records.js';
import { marking, phasesOf, type Marks, type RotationPhase } from './rotation-phases.js';
import { interleave, timeOnce, type Runner, type Samples } from './timing.js';
import type { Rounds } from './unlock-figures.js';
import { VALUE_1KB } from './values.js';
import { PASSCODE, deleteDatabase, fillVault, openVault } from './vaults.js';

export const ROTATION_SIZES = [10, 1000, 10000] as const;

/**
 * `options.smallRounds` / `options.midRounds`: rounds for the 10- and 1,000-value vaults (a round
 * takes milliseconds there, or a tenth of a second, and one slow strict commit moves a median of
 * three); 10,000 values take `options.rounds`.
 */
export async function rotationBySize(options: Rounds & { smallRounds?: number; midRounds?: number }): Promise<Samples<string>> {
  const out: Record<string, number[]> = {};
  for (const count of ROTATION_SIZES) {
    const samples = await interleave(await rotationSides(`bench-rotation-${count}`, count, timeOnce, { floor: true }), {
      ...options,
      rounds: roundsFor(count, options),
    });
    out[`vault:${count}`] = samples.vault;
    out[`keyval:${count}`] = samples.keyval;
    out[`floor:${count}`] = samples.floor;
  }
  return out;
}

/**
 * The figure's two sides for {@link interleave}, on a new passcode vault of `count` values of 1 KB
 * (database `name`) and idb-keyval's strict store: each sets the passcode up untimed, then times its
 * operation, `setPasscodeEnabled(false)` through `timeRotation` or `setMany` of the same values (the
 * passcode is off between the sides). With `options.floor`, a third: the rotation's floor
 * (rotation-floor.ts) on a fixture of as many values (database `${name}-floor`), timed after the
 * same setup, so the figure is judged against its floor in its own rounds.
 */
export async function rotationSides(name: string, count: number, timeRotation?: TimeRotation): Promise<Record<'vault' | 'keyval', Runner>>;
export async function rotationSides(
  name: string,
  count: number,
  timeRotation: TimeRotation,
  options: { floor: true },
): Promise<Record<'vault' | 'keyval' | 'floor', Runner>>;
export async function rotationSides(
  name: string,
  count: number,
  timeRotation: TimeRotation = timeOnce,
  options: { floor?: boolean } = {},
): Promise<Record<'vault' | 'keyval', Runner> & { floor?: Runner }> {
  await deleteDatabase(name);
  await deleteDatabase(`${name}-keyval`);
  const vault = await openVault(name, { vaultId: 'bench', username: name });
  await fillVault(vault, count, () => VALUE_1KB, 'passcode');
  const store = keyvalStoreWithDurability(`${name}-keyval`, 'strict');
  const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: count }, (_, i) => [`value-${i}`, VALUE_1KB]);
  await vault.setPasscodeEnabled(false);
  const sides = {
    vault: async () => {
      await passcodeBackOn(vault);
      return timeRotation(() => vault.setPasscodeEnabled(false));
    },
    keyval: afterPasscodeBackOn(vault, () => timeOnce(() => setMany(entries, store))),
  };
  if (!options.floor) return sides;
  const fixture = await sealedRecords(`${name}-floor`, 'steps', count, (i) => `value-${i}`);
  await fixture.store.commit({ put: [['meta', { kid: 'k' }], ...fixture.records] });
  const floor = rotationFloor(fixture);
  return {
    ...sides,
    floor: afterPasscodeBackOn(vault, async () => {
      await floor.prepare();
      return timeOnce(floor.rotate);
    }),
  };
}

type Vault = Awaited<ReturnType<typeof openVault>>;
type TimeRotation = (rotate: () => Promise<void>) => Promise<number>;

/** The figure's untimed setup: the passcode turned back on and set (two rotations and the KDF). */
async function passcodeBackOn(vault: Vault): Promise<void> {
  await vault.setPasscodeEnabled(true);
  await vault.setPasscode(PASSCODE);
}

/**
 * `step` timed right after the figure's setup, and the passcode turned off again after it
 * (untimed), so it meets the storage as the figure's timed rotation does.
 */
function afterPasscodeBackOn(vault: Vault, step: Runner): Runner {
  return async () => {
    await passcodeBackOn(vault);
    const ms = await step();
    await vault.setPasscodeEnabled(false);
    return ms;
  };
}

function roundsFor(count: number, options: Rounds & { smallRounds?: number; midRounds?: number }): number {
  if (count === ROTATION_SIZES[0]) return options.smallRounds ?? options.rounds;
  if (count === ROTATION_SIZES[1]) return options.midRounds ?? options.rounds;
  return options.rounds;
}

type RotationSteps = 'keyval' | 'whole' | 'read' | 'crypto' | 'write' | 'checked' | 'rewrite';

/**
 * Where a rotation of `count` values goes, each step timed alone with the vault's own parts
 * (`IndexedDbStore`, the envelope), interleaved with idb-keyval `setMany` of the same values. On
 * the web `rotateDataKey` (`src/core/key-rotation.ts`) runs in ONE transaction
 * (`IndexedDbStore.rewrite`): guard, read, re-encryption, write. Its parts alone:
 * - `read`: every value record, in one readonly transaction (`IndexedDbStore.entries`);
 * - `crypto`: up to `EARLY_MAX` values (the rotation holds them all, having written them): AES-GCM
 *   seal of each value held, all at once, as `KnownValues.seal` does before the transaction; more:
 *   open + seal of each (in batches of 64, as `reencryptRecords`), on records read beforehand;
 * - `write`: every record + the meta, one guarded strict transaction (`IndexedDbStore.commit`):
 *   what `setMany` does, plus the meta and its guard;
 * - `checked`: the IndexedDB part of a rotation that checks every record it overwrites, with no
 *   crypto: `IndexedDbStore.rewrite` reading every record and putting every record at once
 *   (`early`), the meta and a new device key once the reads answered, then the commit;
 * - `rewrite`: all of it as the rotation runs it, the rotation's floor (rotation-floor.ts, also
 *   timed in the figure's own rounds): a new data key, `IndexedDbStore.rewrite` with the meta guard,
 *   the device key read and a new one stored (the timed change turns the passcode off; setting it
 *   had deleted the old key, and that key and the wrap under it are made before the reads answer);
 *   up to `EARLY_MAX` values, the values held sealed before the transaction, put with its reads and
 *   checked by fingerprint when the reads answer; more, read in parts and re-encrypted as they
 *   arrive, then written, one strict transaction kept open meanwhile;
 * and the whole rotation as the figure above times it, on a vault of the same size. Each step is
 * timed right after the figure's untimed setup (the passcode set again on that vault), so the steps
 * and the figure meet the storage in the same state.
 */
export async function rotationBreakdown(options: Rounds & { count: number }): Promise<Samples<RotationSteps> & { phases: RotationStepPhases }> {
  const name = `bench-rotation-steps-${options.count}`;
  // Records as the vault writes them: bytes.
  const fixture = await sealedRecords(name, 'steps', options.count, (i) => `value-${i}`);
  const { store, deviceKeys: deviceKey, port, oldKey, newKey, prefix, binding, records, context } = fixture;
  await store.commit({ put: [['meta', { kid: 'k' }], ...records] });
  await deleteDatabase(`${name}-vault`);
  const vault = await openVault(`${name}-vault`, { vaultId: 'bench', username: 'rotation-steps' });
  await fillVault(vault, options.count, () => VALUE_1KB, 'passcode');
  await vault.setPasscodeEnabled(false);
  const guard = FIXTURE_GUARD;
  const floor = rotationFloor(fixture);
  const keyvalStore = keyvalStoreWithDurability(`${name}-keyval`, 'strict');
  const entries: Array<[IDBValidKey, unknown]> = Array.from({ length: options.count }, (_, i) => [`value-${i}`, VALUE_1KB]);
  const read = await store.entries(prefix);
  const early = options.count <= EARLY_MAX;
  // Every value held, as the rotation's cache gives them: the core's own KnownValues seals and checks them.
  const known = records.map(([storeKey, record]) => ({
    key: context.keys.keyOfValue(storeKey),
    json: JSON.stringify(VALUE_1KB),
    sealedAs: recordFingerprint(record)!,
  }));
  const sealHeld = () => new KnownValues(context, known).seal(newKey);
  const reencrypt = async () => {
    for (let i = 0; i < read.length; i += 64) {
      await Promise.all(
        read.slice(i, i + 64).map(async ([key, record]) => {
          const opened = await open(port, oldKey, record as unknown as SealedStored, binding(key));
          return sealBytes(port, newKey, opened, binding(key));
        }),
      );
    }
  };
  // Every step comes right after the figure's setup (rotationSides), whatever ran before it.
  const after = (step: Runner) => afterPasscodeBackOn(vault, step);
  // The whole rotation and the transaction alone are timestamped alike (rotation-phases.ts), so
  // the analysis can say in which phases the whole spends its extra time.
  const marks = { whole: [] as Marks[], rewrite: [] as Marks[] };
  const samples = await interleave(
    {
      keyval: after(() => timeOnce(() => setMany(entries, keyvalStore))),
      whole: async () => {
        await passcodeBackOn(vault);
        return marking(marks.whole)(() => vault.setPasscodeEnabled(false));
      },
      read: after(() => timeOnce(() => store.entries(prefix))),
      crypto: after(() => timeOnce(early ? sealHeld : reencrypt)),
      write: after(() => timeOnce(() => store.commit({ guard, put: [['meta', { kid: 'k' }], ...records] }))),
      checked: after(async () => {
        await deviceKey.delete();
        const fresh = (await port.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey'])) as CryptoKey;
        return timeOnce(async () => {
          const done = await store.rewrite(
            { guard, prefix, deviceKey: true, early: records },
            () => undefined,
            async () => ({ change: { put: [['meta', { kid: 'k' }]] }, deviceKey: fresh }),
          );
          if (!done) throw new Error('the checked transaction did not commit');
        });
      }),
      rewrite: after(async () => {
        await floor.prepare();
        return marking(marks.rewrite)(floor.rotate);
      }),
    },
    options,
  );
  // interleave drops the warm-up rounds' samples; their marks go too. One of each per round.
  return {
    ...samples,
    phases: { whole: phasesOf(marks.whole.slice(options.warmup), samples.whole), rewrite: phasesOf(marks.rewrite.slice(options.warmup), samples.rewrite) },
  };
}

type RotationStepPhases = Record<'whole' | 'rewrite', Record<Exclude<RotationPhase, 'keyval'>, number[]>>;
