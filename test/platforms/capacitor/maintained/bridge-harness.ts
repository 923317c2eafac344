/**
 * Capacitor's own JavaScript bridge in front of the plugin fakes: the globals a native shell
 * injects (`CapacitorCustomPlatform`, `Capacitor.PluginHeaders`, `nativePromise`,
 * `nativeCallback`) are set up so that `@capacitor/core`'s `registerPlugin` proxies reach the
 * fakes as they reach native code — options and results JSON-copied, rejections carrying the
 * native `code` string, events through callbacks.
 *
 * Capacitor reads its globals when `@capacitor/core` is first imported: call
 * {@link installBridge} before importing anything that imports it (vitest runs each test file in
 * its own process).
 */
import type { NativeOS } from 'identity-vault/capacitor';
import type { FakeMaintainedDevice } from './fake-device.js';

const METHODS: Record<string, readonly string[]> = {
  NativeBiometric: [
    'isAvailable',
    'verifyIdentity',
    'getCredentials',
    'setCredentials',
    'deleteCredentials',
    'getSecureCredentials',
    'isCredentialsSaved',
    'setData',
    'getData',
    'getSecureData',
    'deleteData',
    'isDataSaved',
    'getPluginVersion',
  ],
  SecureStorage: [
    'setSynchronizeKeychain',
    'internalSetItem',
    'internalGetItem',
    'internalRemoveItem',
    'internalClearItemsWithPrefix',
    'internalGetPrefixedKeys',
  ],
  CapacitorSQLite: ['createConnection', 'closeConnection', 'open', 'close', 'isDBOpen', 'getUrl', 'execute', 'executeSet', 'run', 'query'],
  App: ['exitApp', 'getInfo', 'getLaunchUrl', 'getState', 'minimizeApp', 'toggleBackButtonHandler', 'removeAllListeners'],
  PrivacyScreen: ['enable', 'disable', 'isEnabled'],
};

export interface Bridge {
  /** The device the bridge talks to (replace it for a fresh phone). */
  device: FakeMaintainedDevice;
  /** Every native call, `Plugin.method`. */
  readonly calls: string[];
  /** Drop a plugin from the native headers (as if it were not installed). */
  uninstall(plugin: string): void;
  reinstall(plugin: string): void;
}

const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export function installBridge(os: NativeOS, device: FakeMaintainedDevice): Bridge {
  const handles = new Map<string, { remove(): Promise<void> }>();
  let nextCallback = 1;
  const bridge: Bridge = {
    device,
    calls: [],
    uninstall: (plugin) => {
      headers.splice(
        headers.findIndex((h) => h.name === plugin),
        1,
      );
    },
    reinstall: (plugin) => {
      headers.push(header(plugin));
    },
  };
  const target = (plugin: string): Record<string, (options: unknown) => Promise<unknown>> => {
    const { device: d } = bridge;
    const byName: Record<string, unknown> = {
      NativeBiometric: d.biometric,
      SecureStorage: d.secureStorage,
      CapacitorSQLite: d.sqlite,
      App: d.app,
      PrivacyScreen: d.privacyScreen,
    };
    return byName[plugin] as Record<string, (options: unknown) => Promise<unknown>>;
  };
  const header = (name: string) => ({
    name,
    methods: [
      ...METHODS[name]!.map((m) => ({ name: m, rtype: 'promise' })),
      { name: 'addListener', rtype: 'callback' },
      { name: 'removeListener', rtype: 'promise' },
    ],
  });
  const headers = Object.keys(METHODS).map(header);
  const g = globalThis as Record<string, unknown>;
  g.CapacitorCustomPlatform = { name: os, plugins: {} };
  g.Capacitor = {
    PluginHeaders: headers,
    nativePromise: async (plugin: string, method: string, options: unknown) => {
      bridge.calls.push(`${plugin}.${method}`);
      const input = copy(options ?? {}) as Record<string, unknown>;
      if (method === 'removeListener') return handles.get(String(input.callbackId))?.remove();
      const implementation = target(plugin)[method];
      if (typeof implementation !== 'function')
        throw Object.assign(new Error(`"${plugin}.${method}()" is not implemented on ${os}`), { code: 'UNIMPLEMENTED' });
      try {
        return copy(await implementation.call(target(plugin), input));
      } catch (error) {
        // What the native bridge hands back: message and code only.
        const { message, code } = error as { message?: string; code?: string };
        throw Object.assign(new Error(message), code === undefined ? {} : { code });
      }
    },
    nativeCallback: (plugin: string, method: string, options: { eventName: string }, callback: (data: unknown) => void) => {
      if (method !== 'addListener') throw new Error(`unexpected callback method ${method}`);
      const id = String(nextCallback++);
      const add = (target(plugin) as unknown as { addListener(e: string, l: (d: unknown) => void): Promise<{ remove(): Promise<void> }> }).addListener;
      void add.call(target(plugin), options.eventName, (data) => callback(copy(data ?? {}))).then((handle) => handles.set(id, handle));
      return id;
    },
  };
  return bridge;
}
