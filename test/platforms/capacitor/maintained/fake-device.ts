/**
 * One fake phone: the five plugins' fakes sharing one state, in an iOS or an Android flavour,
 * with what a tester does on a device (answer prompts, re-enrol a finger, leave the app) as
 * methods. Native state survives {@link FakeMaintainedDevice.killApp}; the JavaScript side does not.
 */
import type { PasscodePromptPort } from 'identity-vault/platform';
import type { MaintainedPlugins, NativeOS } from 'identity-vault/capacitor';
import { FakeApp, FakePrivacyScreen } from './fake-app.js';
import { FakeNativeBiometric, type PromptOutcome } from './fake-biometric.js';
import { FakeCapacitorSqlite, FakeSecureStorage, loadSqlJs } from './fake-storage.js';

/** The app's passcode prompt, scripted: one answer per prompt, `undefined` = cancelled. */
export class ScriptedPasscodePrompt implements PasscodePromptPort {
  private readonly answers: Array<string | undefined> = [];
  shown = 0;
  queue(...answers: Array<string | undefined>): void {
    this.answers.push(...answers);
  }
  async request(): Promise<string | undefined> {
    this.shown++;
    return this.answers.shift();
  }
}

export class FakeMaintainedDevice {
  readonly privacyScreen = new FakePrivacyScreen();
  readonly app: FakeApp;
  readonly biometric: FakeNativeBiometric;
  readonly secureStorage: FakeSecureStorage;
  readonly passcodePrompt = new ScriptedPasscodePrompt();

  private constructor(
    readonly os: NativeOS,
    readonly sqlite: FakeCapacitorSqlite,
  ) {
    this.app = new FakeApp(os, this.privacyScreen);
    this.biometric = new FakeNativeBiometric(os, { promptShown: () => this.app.overlayShown(), promptDismissed: () => this.app.overlayDismissed() });
    this.secureStorage = new FakeSecureStorage(os);
  }

  static async create(os: NativeOS): Promise<FakeMaintainedDevice> {
    return new FakeMaintainedDevice(os, new FakeCapacitorSqlite(os, await loadSqlJs()));
  }

  /** The plugins as `findMaintainedPlugins` would give them (called directly, no bridge). */
  plugins(): MaintainedPlugins {
    return { os: this.os, biometric: this.biometric, secureStorage: this.secureStorage, sqlite: this.sqlite, app: this.app, privacyScreen: this.privacyScreen };
  }

  /** The app process is killed: SQLite connections close; Android loses `apply()` writes not yet on disk. */
  killApp(options: { beforeApplyReachedDisk?: boolean } = {}): void {
    this.sqlite.killProcess();
    if (options.beforeApplyReachedDisk) this.secureStorage.loseUnflushedWrites();
    else this.secureStorage.flush();
  }

  // ---- ScriptableNative (test/platforms/capacitor/native-driver.ts scriptedControls) ----------
  queuePasscodes(...answers: Array<string | undefined>): void {
    this.passcodePrompt.queue(...answers);
  }
  respondWith(outcome: PromptOutcome): void {
    this.biometric.respondWith(outcome);
  }
  reenroll(): void {
    this.biometric.reenroll();
  }
  emit(state: 'background' | 'foreground'): void {
    if (state === 'background') this.app.background();
    else this.app.foreground();
  }

  /** Everything persisted outside the Keychain/Keystore secrets, for canary scans. */
  dumpStorage(): string {
    const items = [...this.secureStorage.items].map(([key, item]) => `${key}=${item.data}`);
    return `${this.sqlite.dump()}\n${items.join('\n')}`;
  }
}
