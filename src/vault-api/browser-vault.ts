/**
 * `BrowserVault`: Identity Vault 5.x/6.x's vault for the browser. Identity Vault's own keeps plain
 * JSON in `sessionStorage` for development; this one is the same real vault as {@link Vault}
 * (on the web platform: IndexedDB, WebCrypto, WebAuthn), so the usual factory
 * `Capacitor.getPlatform() === 'web' ? new BrowserVault(config) : new Vault(config)` behaves the
 * same in both branches.
 */
import { Vault } from './vault.js';

/**
 * The browser vault: the same encrypted vault as {@link Vault}, under another name so apps written
 * for Identity Vault's factory pattern compile and run unchanged.
 */
export class BrowserVault extends Vault {}
