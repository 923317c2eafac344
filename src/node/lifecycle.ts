/**
 * App lifecycle on Node. A CLI or server has no background; an Electron main process does (all
 * windows hidden or minimised, `powerMonitor` 'lock-screen'/'suspend'), and can tell the vault
 * with {@link NodeLifecycle.emit}.
 */
import type { LifecycleEvent, LifecyclePort } from '../core/ports.js';
import { ListenerSet } from '../shared/listener-set.js';

/** {@link LifecyclePort} plus a way for the app to report background/foreground. */
export interface NodeLifecycle extends LifecyclePort {
  /**
   * Report that the app went to the background or came back (Electron: e.g. from `BrowserWindow`
   * 'hide'/'show' or `powerMonitor` 'lock-screen'/'unlock-screen'). Repeated events are ignored.
   *
   * @example
   * ```ts
   * const platform = createNodePlatform();
   * powerMonitor.on('lock-screen', () => platform.lifecycle.emit('background'));
   * powerMonitor.on('unlock-screen', () => platform.lifecycle.emit('foreground'));
   * ```
   */
  emit(event: LifecycleEvent): void;
  /** Whether a privacy screen was requested (Node draws none; an Electron app may act on it). */
  readonly privacyScreen: boolean;
}

/** A lifecycle that starts in the foreground and only changes through `emit`. */
export function createNodeLifecycle(): NodeLifecycle {
  const listeners = new ListenerSet<LifecycleEvent>();
  let background = false;
  let privacyScreen = false;
  return {
    subscribe: (listener) => listeners.add(listener),
    isInBackground: () => background,
    setPrivacyScreen({ enabled }) {
      privacyScreen = enabled;
    },
    get privacyScreen() {
      return privacyScreen;
    },
    emit(event) {
      const next = event === 'background';
      if (next === background) return;
      background = next;
      listeners.emit(event);
    },
  };
}
