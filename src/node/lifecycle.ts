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
  return new EmittedLifecycle();
}

class EmittedLifecycle implements NodeLifecycle {
  readonly #listeners = new ListenerSet<LifecycleEvent>();
  #background = false;
  #privacyScreen = false;

  subscribe(listener: (event: LifecycleEvent) => void): () => void {
    return this.#listeners.add(listener);
  }

  isInBackground(): boolean {
    return this.#background;
  }

  setPrivacyScreen({ enabled }: { enabled: boolean }): void {
    this.#privacyScreen = enabled;
  }

  get privacyScreen(): boolean {
    return this.#privacyScreen;
  }

  emit(event: LifecycleEvent): void {
    const next = event === 'background';
    if (next === this.#background) return;
    this.#background = next;
    this.#listeners.emit(event);
  }
}
