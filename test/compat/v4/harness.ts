/**
 * What the Identity Vault 4.x apps in this suite got from their frameworks, rebuilt as small
 * stand-ins so each case can run under Node: an Ionic `Platform`, the key/value storages their
 * browser vaults were backed by, and a request recorder for their interceptors.
 *
 * The storages keep the one behaviour these apps' browser vaults depend on: a missing key reads as
 * `null`, not `undefined` —
 * - `@ionic/storage` `get(key)` resolves `null` for a missing key (it is localForage's `getItem`);
 *   used by ionic-team/cs-demo-iv src/app/services/browser-auth/browser-auth.service.ts and
 *   ionic-team/ionifits src/app/services/browser-auth.service.ts;
 * - `@capacitor/core` 2.x `Storage.get({ key })` resolves `{ value: null }` for a missing key; used by
 *   ionic-team/tea-taster-vue src/services/BrowserVaultService.ts (ef0c4b8) and
 *   eric-horodyski/cs-demo-ac-react-cap2 src/vault/BrowserVault.ts.
 */

/** Ionic's `Platform` as the services use it: `ready()` and `is(name)`. */
export class FakeIonicPlatform {
  readonly readyCalls: number[] = [];
  constructor(private readonly names: readonly string[]) {}
  async ready(): Promise<string> {
    this.readyCalls.push(Date.now());
    return this.names.includes('hybrid') ? 'cordova' : 'dom';
  }
  is(name: string): boolean {
    return this.names.includes(name);
  }
}

/** `@ionic/storage`'s `Storage`: values kept as structured clones; `get` of a missing key is `null`. */
export class IonicStorageStandIn {
  private readonly items = new Map<string, unknown>();
  async get(key: string): Promise<unknown> {
    return this.items.has(key) ? structuredClone(this.items.get(key)) : null;
  }
  async set(key: string, value: unknown): Promise<unknown> {
    this.items.set(key, structuredClone(value));
    return value;
  }
  async remove(key: string): Promise<void> {
    this.items.delete(key);
  }
  async keys(): Promise<string[]> {
    return [...this.items.keys()];
  }
  async clear(): Promise<void> {
    this.items.clear();
  }
  /** Everything stored, for the tests' plaintext checks. */
  dump(): string {
    return JSON.stringify([...this.items]);
  }
}

/** `@capacitor/core` 2.x's `Storage` plugin: strings only; `get` of a missing key is `{ value: null }`. */
export class CapacitorStorageStandIn {
  private readonly items = new Map<string, string>();
  async get(options: { key: string }): Promise<{ value: string | null }> {
    return { value: this.items.get(options.key) ?? null };
  }
  async set(options: { key: string; value: string }): Promise<void> {
    this.items.set(options.key, options.value);
  }
  async remove(options: { key: string }): Promise<void> {
    this.items.delete(options.key);
  }
  async keys(): Promise<{ keys: string[] }> {
    return { keys: [...this.items.keys()] };
  }
  async clear(): Promise<void> {
    this.items.clear();
  }
}

/** One request as an interceptor sees it. */
export interface RecordedRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The back end the interceptors talk to: records every request that reaches it. */
export class RequestRecorder {
  readonly requests: RecordedRequest[] = [];
  async handle(request: RecordedRequest): Promise<{ status: number }> {
    this.requests.push(request);
    return { status: 200 };
  }
  /** The Authorization header of the last request, if any. */
  lastAuthorization(): string | undefined {
    return this.requests.at(-1)?.headers['Authorization'];
  }
}

/** Lets queued promise callbacks (hooks, events) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}
