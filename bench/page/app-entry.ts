/**
 * The size figure's app: what an app bundles when it uses the session layer from the package root
 * and the web platform from `identity-vault/web` (bundled, minified, tree-shaken by esbuild).
 */
import { AuthMode, IonicIdentityVaultUser, type DefaultSession } from '../../src/index.js';
import { createWebPlugin } from '../../src/web/index.js';

export class IdentityService extends IonicIdentityVaultUser<DefaultSession> {
  constructor() {
    super({ ready: () => Promise.resolve() }, { authMode: AuthMode.BiometricAndPasscode, unlockOnAccess: true, plugin: createWebPlugin() });
  }
}

export const identity = new IdentityService();
