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

  constructor(name: string) {
    this.#name = name;
  }

  post(message: PeerMessage): void {
    this.#open().postMessage(message);
  }

  subscribe(listener: (message: PeerMessage) => void): () => void {
    this.#open();
    return this.#listeners.add(listener);
  }

  /** Close the channel (tests, teardown); it reopens on the next call. */
  close(): void {
    this.#channel?.close();
    this.#channel = undefined;
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
