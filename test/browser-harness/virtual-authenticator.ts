/**
 * The DevTools protocol's virtual WebAuthn authenticator, on a CDP session of one page.
 *
 * Traps (measured, see design.md): after one user-verification failure a PRF authenticator stays
 * broken even after `setUserVerified(true)` — use a fresh one per test; at most 3 resident
 * credentials per authenticator; a credential copied with `getCredentials`/`addCredential`
 * returns no PRF output.
 */
import type { BrowserContext, CDPSession, Page } from '@playwright/test';
import { addPlatformAuthenticator, type AuthenticatorOptions } from './platform-authenticator.mjs';

export type { AuthenticatorOptions } from './platform-authenticator.mjs';

/** A stored credential as the protocol reports it. */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/** One virtual authenticator and the controls tests use. */
export class VirtualAuthenticator {
  private constructor(
    readonly cdp: CDPSession,
    readonly authenticatorId: string,
  ) {}

  /** Enable the WebAuthn domain on `page` and add a platform authenticator (`transport: 'internal'`). */
  static async attach(context: BrowserContext, page: Page, options: AuthenticatorOptions = {}): Promise<VirtualAuthenticator> {
    const cdp = await context.newCDPSession(page);
    return new VirtualAuthenticator(cdp, await addPlatformAuthenticator(cdp, options));
  }

  setUserVerified(isUserVerified: boolean): Promise<unknown> {
    return this.cdp.send('WebAuthn.setUserVerified', { authenticatorId: this.authenticatorId, isUserVerified });
  }

  clearCredentials(): Promise<unknown> {
    return this.cdp.send('WebAuthn.clearCredentials', { authenticatorId: this.authenticatorId });
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.authenticatorId });
    return credentials as VirtualCredential[];
  }

  addCredential(credential: VirtualCredential): Promise<unknown> {
    return this.cdp.send('WebAuthn.addCredential', { authenticatorId: this.authenticatorId, credential });
  }

  /** Make assertions succeed with the UV flag clear (a lying authenticator). */
  setBadUv(isBadUV: boolean): Promise<unknown> {
    return this.cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId: this.authenticatorId, isBadUV });
  }

  /** Remove the authenticator: "the authenticator went away". */
  async remove(): Promise<void> {
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.authenticatorId });
  }
}
