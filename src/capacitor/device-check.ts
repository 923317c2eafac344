/**
 * An on-device check of the native plugin platform, for an app developer: the test suite of this
 * repository runs against fakes of the plugins only (no device exists where it runs), so this is
 * how a real iPhone or Android phone shows that the plugins behave as the fakes say. It touches
 * only its own scratch database, items and biometric key, never the app's vaults.
 *
 * Call it from a debug screen of the app (after `npx cap sync`), with a log that shows lines on
 * screen and an `instruct` that shows a step to the tester and resolves when they tap "Done".
 */
import { VaultError, VaultErrorCodes } from '../core/errors.js';
import { keychainItems } from './keychain-items.js';
import { findMaintainedPlugins, PLUGIN_NAMES, type CapacitorRuntime, type MaintainedPlugins } from './plugin-apis.js';
import { createPluginPlatform, type PluginPlatform } from './plugin-platform.js';
import { sqliteStore } from './sqlite-store.js';

/** Options of {@link runNativeDeviceCheck}. */
export interface DeviceCheckOptions {
  /** Shows one result line. */
  readonly log: (line: string) => void;
  /** Shows an instruction to the tester; resolves when they are done. */
  readonly instruct: (step: string) => Promise<void>;
  /** Skip the steps that need a person (biometric prompt, app switcher). @default false */
  readonly unattended?: boolean;
}

/** The outcome: how many checks passed and failed. */
export interface DeviceCheckSummary {
  passed: number;
  failed: number;
}

const SCRATCH_DB = 'identityvaultcheck';

/**
 * Run the checks.
 *
 * @example
 * ```ts
 * import { runNativeDeviceCheck } from 'identity-vault/capacitor';
 * const summary = await runNativeDeviceCheck({ log: (l) => lines.push(l), instruct: (s) => showStep(s) });
 * ```
 */
export async function runNativeDeviceCheck(options: DeviceCheckOptions): Promise<DeviceCheckSummary> {
  const { log, instruct } = options;
  const summary: DeviceCheckSummary = { passed: 0, failed: 0 };
  const check = async (name: string, work: () => Promise<string | void>) => {
    try {
      const detail = await work();
      summary.passed++;
      log(`pass  ${name}${detail ? `: ${detail}` : ''}`);
    } catch (error) {
      summary.failed++;
      const code = error instanceof VaultError ? `${error.codeName}: ` : '';
      log(`FAIL  ${name}: ${code}${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new Error(what);
  };

  const { Capacitor } = await import('@capacitor/core');
  const capacitor = Capacitor as unknown as CapacitorRuntime;
  log(`platform ${capacitor.getPlatform()}, native ${capacitor.isNativePlatform()}`);
  for (const name of Object.values(PLUGIN_NAMES)) log(`${capacitor.isPluginAvailable(name) ? 'found  ' : 'MISSING'} ${name}`);
  const plugins = findMaintainedPlugins(capacitor);
  if (!plugins) {
    summary.failed++;
    log('FAIL  the native platform is not available: install the missing plugins and run `npx cap sync`');
    return summary;
  }

  await check('SQLite: (iOS) the database is out of backups; a failing statement rolls the whole transaction back', () => atomicity(plugins));
  const items = keychainItems(plugins.secureStorage);
  await check('Keychain/Keystore: an item round-trips and is deleted (Android: its Keystore key is listed, then gone)', async () => {
    await items.put('check.item', 'value');
    expect((await items.get('check.item')) === 'value', 'the item did not read back');
    // The install id's recovery after a lost apply() rests on this (sqlite-store.ts bindToInstall).
    if (plugins.os === 'android') expect(await items.hasAndroidKey('check.item'), "the item's Keystore key is not listed");
    await items.remove('check.item');
    expect((await items.get('check.item')) === null, 'the item is still there after delete');
    if (plugins.os === 'android') expect(!(await items.hasAndroidKey('check.item')), "the item's Keystore key is still listed after delete");
  });

  const platform = createPluginPlatform(plugins, { database: SCRATCH_DB });
  try {
    await check('biometrics: availability', async () => JSON.stringify(await platform.biometrics.availability()));
    if (!options.unattended) await biometricSteps(platform, plugins, instruct, check);
    if (!options.unattended) await lifecycleSteps(platform, instruct, check);
  } finally {
    await platform.dispose();
  }
  log(`done: ${summary.passed} passed, ${summary.failed} failed`);
  return summary;
}

async function atomicity(plugins: MaintainedPlugins): Promise<string> {
  const store = sqliteStore({
    sqlite: plugins.sqlite,
    items: keychainItems(plugins.secureStorage),
    os: plugins.os, // on iOS, opening also checks the folder is out of backups (iosDatabaseLocation)
    randomBytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
    database: SCRATCH_DB,
  });
  await store.commit({ put: [['check', { n: 1 }]] });
  const broken = await plugins.sqlite
    .executeSet({
      database: SCRATCH_DB,
      transaction: true,
      readonly: false,
      set: [
        { statement: 'DELETE FROM records WHERE key = ?', values: ['check'] },
        { statement: 'INSERT INTO no_such_table VALUES (?)', values: ['x'] },
      ],
    })
    .then(
      () => 'resolved',
      () => 'rejected',
    );
  const after = await store.get('check');
  if (broken !== 'rejected' || after?.n !== 1) throw new Error(`the failing batch ${broken} and the record is ${JSON.stringify(after)}`);
  await store.commit({ delete: ['check'] });
  return 'the delete before the failing insert was undone';
}

type Check = (name: string, work: () => Promise<string | void>) => Promise<void>;

async function biometricSteps(platform: PluginPlatform, plugins: MaintainedPlugins, instruct: (step: string) => Promise<void>, check: Check): Promise<void> {
  if (!(await platform.biometrics.availability()).available) return;
  let credential: Awaited<ReturnType<PluginPlatform['biometrics']['enroll']>>['credential'] | undefined;
  await check('biometrics: a key is stored without a prompt', async () => {
    credential = (await platform.biometrics.enroll({ vaultId: 'check', username: 'check' })).credential;
  });
  if (!credential) return;
  const events: string[] = [];
  const stop = platform.lifecycle.subscribe((event) => events.push(event));
  await instruct('Next: a biometric prompt. Authenticate with your face or finger.');
  await check('biometrics: a match releases the key (one getSecureData)', async () => {
    await platform.biometrics.keyForUnwrap({ credential: credential! });
    if (events.length > 0) throw new Error(`the prompt was reported as ${events.join(', ')}: it would start the lock timer`);
  });
  await instruct('Next: the prompt again. Cancel it (or tap "Use passcode").');
  await check('biometrics: cancel is UserCanceledInteraction', async () => {
    const error = await platform.biometrics.keyForUnwrap({ credential: credential! }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof VaultError) || error.code !== VaultErrorCodes.UserCanceledInteraction) throw error ?? new Error('the prompt was not cancelled');
  });
  stop();
  await platform.biometrics.remove({ credential });
  await check('biometrics: removed key is KeyNotFound', async () => {
    const error = await plugins.biometric.getSecureData({ key: String((credential as { key?: unknown }).key) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    if ((error as { code?: unknown } | undefined)?.code !== '21') throw new Error(`expected code 21, got ${JSON.stringify(error)}`);
  });
}

async function lifecycleSteps(platform: PluginPlatform, instruct: (step: string) => Promise<void>, check: Check): Promise<void> {
  platform.lifecycle.setPrivacyScreen({ enabled: true });
  const events: string[] = [];
  const stop = platform.lifecycle.subscribe((event) => events.push(event));
  await instruct(
    "Go to the home screen, then open the app switcher: this app's card must look covered (iOS) or blank (Android). Come back to the app, then tap Done.",
  );
  stop();
  platform.lifecycle.setPrivacyScreen({ enabled: false });
  await check('lifecycle: one background and one foreground, nothing repeated', async () => {
    if (events.join(',') !== 'background,foreground') throw new Error(`events were [${events.join(', ')}]`);
  });
}
