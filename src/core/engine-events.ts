/**
 * The events of one vault engine (vault-engine.ts) and the vault handles that hear them. Handlers
 * are called, never awaited: a handler that calls back into the vault must not deadlock the
 * engine's queue. One that throws stops neither the others nor the vault (src/shared/listener-set.ts).
 */
import { ListenerSet } from '../shared/listener-set.js';
import type { LockEvent, PluginConfiguration } from './types.js';

/** What an `IdentityVault` instance hears from its engine. */
export interface EngineListener {
  lock(event: LockEvent): void;
  unlock(config: PluginConfiguration): void;
  config(config: PluginConfiguration): void;
}

type EngineEvent = { readonly kind: 'lock'; readonly event: LockEvent } | { readonly kind: 'unlock' | 'config'; readonly config: PluginConfiguration };

export class EngineEvents {
  readonly #listeners = new ListenerSet<EngineEvent>();
  readonly #removals = new Map<EngineListener, () => void>();
  readonly #configuration: () => PluginConfiguration;

  /** `configuration`: the engine's configuration as it is now, sent with `unlock` and `config`. */
  constructor(configuration: () => PluginConfiguration) {
    this.#configuration = configuration;
  }

  /** How many listeners are subscribed. */
  get size(): number {
    return this.#listeners.size;
  }

  add(listener: EngineListener): void {
    if (this.#removals.has(listener)) return;
    const deliver = (e: EngineEvent) => (e.kind === 'lock' ? listener.lock(e.event) : listener[e.kind](e.config));
    this.#removals.set(listener, this.#listeners.add(deliver));
  }

  remove(listener: EngineListener): void {
    this.#removals.get(listener)?.();
    this.#removals.delete(listener);
  }

  lock(event: LockEvent): void {
    this.#listeners.emit({ kind: 'lock', event });
  }

  /** `unlock` or `config`, with the configuration as it is now. */
  emit(kind: 'unlock' | 'config'): void {
    this.#listeners.emit({ kind, config: this.#configuration() });
  }
}
