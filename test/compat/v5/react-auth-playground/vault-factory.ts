/**
 * Pattern of ionic-enterprise/tutorials-and-demos-react, demos/auth-playground/src/utils/vault-factory.ts
 * (and the Angular twin demos/auth-playground/src/app/core/session-vault/vault-factory.service.ts):
 * `Capacitor.isNativePlatform() ? new Vault() : new BrowserVault()`, with the real @capacitor/core
 * (it reports 'web' here, so the BrowserVault branch runs). Reproduced in our own code.
 */
import { Capacitor } from '@capacitor/core';
import { BrowserVault, Vault } from 'identity-vault';

export const createVault = (): Vault | BrowserVault => (Capacitor.isNativePlatform() ? new Vault() : new BrowserVault());
