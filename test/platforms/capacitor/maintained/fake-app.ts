/**
 * Fakes of `@capacitor/app` 8.1.1 and `@capacitor/privacy-screen` 2.0.1, with each OS's event
 * order, written from their sources:
 * - iOS AppPlugin.swift: `willResignActiveNotification` → `appStateChange {isActive:false}`,
 *   `didEnterBackgroundNotification` → `pause`, `willEnterForegroundNotification` → `resume`,
 *   `didBecomeActiveNotification` → `appStateChange {isActive:true}`; `getState` is
 *   `applicationState == .active`.
 * - Android AppPlugin.java `handleOnPause`/`handleOnResume` → `pause`/`resume`; `appStateChange`
 *   from Capacitor's BridgeActivity.java: `onResume` → `fireStatusChange(true)` (every resume),
 *   `onStop` → `fireStatusChange(false)` once no activity is visible. Going to the background:
 *   onPause then onStop; coming back: onStart, onResume (status change first, then `resume`).
 * - PrivacyScreenPlugin.swift: covers the window on `willResignActive` only when enabled at that
 *   moment; removes the cover on `didBecomeActive`. Android PrivacyScreenPlugin.kt: FLAG_SECURE
 *   while enabled.
 */
import type { PluginListenerHandle } from '@capacitor/core';
import type { AppApi, NativeOS, PrivacyScreenApi } from 'identity-vault/capacitor';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the overloads narrow it
type Listener = (data: any) => void;

export class FakePrivacyScreen implements PrivacyScreenApi {
  enabled = false;
  /** iOS: the cover is over the window now. */
  covering = false;
  /** Every app-switcher snapshot (iOS: taken after resign-active), true when it showed the cover. */
  readonly snapshots: boolean[] = [];
  readonly calls: string[] = [];

  async enable(): Promise<{ success: boolean }> {
    this.calls.push('enable');
    this.enabled = true;
    return { success: true };
  }
  async disable(): Promise<{ success: boolean }> {
    this.calls.push('disable');
    this.enabled = false;
    return { success: true };
  }
  willResignActive(): void {
    if (this.enabled) this.covering = true;
  }
  didBecomeActive(): void {
    this.covering = false;
  }
}

export class FakeApp implements AppApi {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Every event sent, in order (for assertions on each OS's order). */
  readonly sent: string[] = [];
  active = true;
  /** Activities of the app over ours (Android: the biometric prompt's AuthActivity). */
  private overlays = 0;

  constructor(
    readonly os: NativeOS,
    private readonly privacy: FakePrivacyScreen,
  ) {}

  async getState(): Promise<{ isActive: boolean }> {
    return { isActive: this.active };
  }
  addListener(eventName: 'pause' | 'resume', listener: () => void): Promise<PluginListenerHandle>;
  addListener(eventName: 'appStateChange', listener: (state: { isActive: boolean }) => void): Promise<PluginListenerHandle>;
  async addListener(eventName: string, listener: Listener): Promise<PluginListenerHandle> {
    const set = this.listeners.get(eventName) ?? new Set<Listener>();
    this.listeners.set(eventName, set);
    set.add(listener);
    return { remove: async () => void set.delete(listener) };
  }
  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }

  private send(event: string, data?: unknown): void {
    this.sent.push(data === undefined ? event : `${event}:${JSON.stringify(data)}`);
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(data);
  }

  /** The user goes to the home screen / app switcher. */
  background(): void {
    if (this.os === 'ios') {
      this.privacy.willResignActive();
      this.send('appStateChange', { isActive: false });
      this.privacy.snapshots.push(this.privacy.covering);
      this.active = false;
      this.send('pause');
    } else {
      this.send('pause'); // onPause
      this.active = false;
      this.privacy.snapshots.push(this.privacy.enabled); // FLAG_SECURE: recents shows a blank card
      this.send('appStateChange', { isActive: false }); // onStop, no activity left
    }
  }
  /** The user comes back. */
  foreground(): void {
    if (this.os === 'ios') {
      this.send('resume');
      this.active = true;
      this.privacy.didBecomeActive();
      this.send('appStateChange', { isActive: true });
    } else {
      this.active = true;
      this.send('appStateChange', { isActive: true }); // onResume → fireStatusChange(true)
      this.send('resume'); // then bridge.onResume → handleOnResume
    }
  }
  /** A system sheet or the biometric prompt appears over the app (not backgrounding). */
  overlayShown(): void {
    this.overlays++;
    if (this.os === 'ios') {
      this.privacy.willResignActive();
      this.send('appStateChange', { isActive: false }); // Face ID sheet: willResignActive only
    } else {
      this.send('pause'); // AuthActivity is transparent: our activity pauses, never stops
    }
  }
  overlayDismissed(): void {
    this.overlays = Math.max(0, this.overlays - 1);
    if (this.os === 'ios') {
      this.privacy.didBecomeActive();
      this.send('appStateChange', { isActive: true });
    } else {
      this.send('appStateChange', { isActive: true }); // onResume fires the status change again
      this.send('resume');
    }
  }
}
