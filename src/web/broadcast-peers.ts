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

/** Presence messages (not {@link PeerMessage}s: never delivered to listeners): a new channel's `hello`, and the answer. */
const HELLO = { type: 'hello' } as const;
const HERE = { type: 'here' } as const;

function presenceOf(data: unknown): 'hello' | 'here' | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  return type === 'hello' || type === 'here' ? type : undefined;
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
 * Alone, a tab sends no `changed` message at all: no one would hear it, and each one cost about a
 * tenth of a strict `storeValue` in the bench's same-run A/B (issue 16). Opening the channel says
 * `hello`; every tab that hears one answers `here`, and a tab that hears anyone (hello, here or a
 * message) knows it has peers from then on. The keys written before that are kept and sent, as
 * one `changed` per vault, the moment the first peer is heard (and on `pagehide`): a tab that
 * opened meanwhile may have read them before the write, so it must drop them. Reads that were in
 * flight when such a message arrives do not cache what they read (vault-state.ts). Every release
 * must keep answering `hello`, or a tab of an older release would never be told of writes.
 * `lock`, `config` and `cleared` are always sent.
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
  /** Whether another tab of this channel has been heard from: only then are `changed` messages sent. */
  #peerHeard = false;
  /** Keys written while no peer had been heard, per vault: sent when the first one is. */
  readonly #unheard = new Map<string, Set<string>>();

  constructor(name: string) {
    this.#name = name;
  }

  post(message: PeerMessage): void {
    if (message.type !== 'changed') {
      this.#flush();
      this.#open().postMessage(message);
      return;
    }
    if (!this.#peerHeard) {
      this.#open(); // listening (and said hello), so a peer that appears is heard
      const keys = this.#unheard.get(message.vault) ?? new Set<string>();
      for (const key of message.keys) keys.add(key);
      this.#unheard.set(message.vault, keys);
      this.#flushOnPagehideOnce();
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

  /** A peer was heard: from now on `changed` messages are sent, first those kept until now. */
  #heard(): void {
    if (this.#peerHeard) return;
    this.#peerHeard = true;
    this.#sendUnheard();
  }

  #sendUnheard(): void {
    if (this.#unheard.size === 0) return;
    for (const [vault, keys] of this.#unheard) this.#pending.push({ vault, keys });
    this.#unheard.clear();
    this.#flush();
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
    this.#flushOnPagehideOnce();
    this.#tick.port2.postMessage(null);
  }

  /** On `pagehide`, send what is pending, and the keys kept while alone (a peer's hello may be on its way). */
  #flushOnPagehideOnce(): void {
    if (this.#flushOnPagehide) return;
    this.#flushOnPagehide = true;
    const g = globalThis as { addEventListener?: Window['addEventListener'] };
    g.addEventListener?.('pagehide', () => {
      this.#sendUnheard();
      this.#flush();
    });
  }

  #open(): BroadcastChannel {
    if (!this.#channel) {
      const channel = new BroadcastChannel(this.#name);
      channel.onmessage = (event: MessageEvent<unknown>) => {
        const presence = presenceOf(event.data);
        if (presence !== undefined) {
          this.#heard();
          if (presence === 'hello') channel.postMessage(HERE);
          return;
        }
        if (!isPeerMessage(event.data)) return;
        this.#heard();
        this.#listeners.emit(event.data);
      };
      this.#channel = channel;
      channel.postMessage(HELLO);
    }
    return this.#channel;
  }
}
