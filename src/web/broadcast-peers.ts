/**
 * `PeersPort` of the web platform over `BroadcastChannel`: every other tab, window and iframe of
 * the origin that opened a channel with the same name gets each message (HTML §9.5 broadcasting),
 * typically within a few milliseconds. A channel object never receives its own messages, so
 * "messages posted by this instance are not delivered back" holds by construction.
 */
import type { PeerMessage, PeersPort } from '../core/ports.js';
import { ListenerSet } from '../shared/listener-set.js';

const MESSAGE_TYPES: ReadonlySet<string> = new Set(['lock', 'changed', 'config', 'cleared']);

/** Whether `data` is a {@link PeerMessage} (messages from other releases or code are ignored). */
export function isPeerMessage(data: unknown): data is PeerMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as { type?: unknown; vault?: unknown; timeout?: unknown; keys?: unknown };
  if (typeof message.type !== 'string' || !MESSAGE_TYPES.has(message.type) || typeof message.vault !== 'string') return false;
  if (message.type === 'lock' && typeof message.timeout !== 'boolean') return false;
  if (message.type === 'changed' && !(Array.isArray(message.keys) && message.keys.every((k) => typeof k === 'string'))) return false;
  return true;
}

/**
 * Whether this environment has `BroadcastChannel` (every current browser; not some old WebViews).
 */
export function broadcastChannelAvailable(): boolean {
  return typeof (globalThis as { BroadcastChannel?: unknown }).BroadcastChannel === 'function';
}

/**
 * Peers over one `BroadcastChannel`, opened on first use.
 *
 * `changed` messages (a tab wrote values: drop them from your cache) are sent one task later, and
 * consecutive ones for one vault as one message: posting costs the writing tab a call into the
 * browser process on the path of every `storeValue` (measured in `bench/page/breakdown.ts`), and
 * deferred it runs while that tab waits for its next IndexedDB commit instead. Any other message
 * first sends the pending `changed` ones, so the order between tabs is kept; `pagehide` sends them
 * too, so a tab that navigates away right after a write still tells the others. The deferral uses
 * a `MessageChannel` task, which browsers do not throttle in background tabs as they do timers.
 *
 * @example
 * ```ts
 * const peers = new BroadcastPeers('identity-vault');
 * const stop = peers.subscribe((message) => console.log(message.type));
 * peers.post({ type: 'lock', vault: 'app', timeout: false });
 * ```
 */
export class BroadcastPeers implements PeersPort {
  readonly #name: string;
  readonly #listeners = new ListenerSet<PeerMessage>();
  #channel: BroadcastChannel | undefined;
  /** `changed` messages not sent yet, in order. */
  #pending: Array<{ vault: string; keys: Set<string> }> = [];
  #tick: MessageChannel | undefined;
  #flushOnPagehide = false;

  constructor(name: string) {
    this.#name = name;
  }

  post(message: PeerMessage): void {
    if (message.type !== 'changed') {
      this.#flush();
      this.#open().postMessage(message);
      return;
    }
    const last = this.#pending.at(-1);
    if (last?.vault === message.vault) {
      for (const key of message.keys) last.keys.add(key);
      return;
    }
    this.#pending.push({ vault: message.vault, keys: new Set(message.keys) });
    if (this.#pending.length === 1) this.#schedule();
  }

  subscribe(listener: (message: PeerMessage) => void): () => void {
    this.#open();
    return this.#listeners.add(listener);
  }

  /** Close the channel (tests, teardown), after sending what is pending; it reopens on the next call. */
  close(): void {
    this.#flush();
    this.#channel?.close();
    this.#channel = undefined;
    this.#tick?.port1.close();
    this.#tick = undefined;
  }

  /** Sends the pending `changed` messages now. */
  #flush(): void {
    if (this.#pending.length === 0) return;
    const pending = this.#pending;
    this.#pending = [];
    const channel = this.#open();
    for (const { vault, keys } of pending) channel.postMessage({ type: 'changed', vault, keys: [...keys] } satisfies PeerMessage);
  }

  /** A flush in the next task (a `MessageChannel` message), and on `pagehide` if the page goes first. */
  #schedule(): void {
    if (!this.#tick) {
      const tick = new MessageChannel();
      tick.port1.onmessage = () => this.#flush();
      this.#tick = tick;
    }
    if (!this.#flushOnPagehide) {
      this.#flushOnPagehide = true;
      const g = globalThis as { addEventListener?: Window['addEventListener'] };
      g.addEventListener?.('pagehide', () => this.#flush());
    }
    this.#tick.port2.postMessage(null);
  }

  #open(): BroadcastChannel {
    if (!this.#channel) {
      const channel = new BroadcastChannel(this.#name);
      channel.onmessage = (event: MessageEvent<unknown>) => {
        if (!isPeerMessage(event.data)) return;
        this.#listeners.emit(event.data);
      };
      this.#channel = channel;
    }
    return this.#channel;
  }
}
