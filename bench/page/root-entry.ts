/** The size figure: the package root alone (the session layer; its default plugin pulls in the web platform lazily). */
import { AuthMode, IonicIdentityVaultUser, type DefaultSession } from '../../src/index.js';

export const identity = new IonicIdentityVaultUser<DefaultSession>({ ready: () => Promise.resolve() }, { authMode: AuthMode.PasscodeOnly });
