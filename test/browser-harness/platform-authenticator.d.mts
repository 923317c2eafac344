/** Options of `WebAuthn.addVirtualAuthenticator` that tests vary. */
export interface AuthenticatorOptions {
  readonly hasPrf?: boolean;
  readonly isUserVerified?: boolean;
  readonly hasUserVerification?: boolean;
  readonly automaticPresenceSimulation?: boolean;
}

/** The part of a CDP session the set-up uses (Playwright's `CDPSession` and playwright-core's fit). */
export interface CdpSender {
  send(method: 'WebAuthn.enable', params: { enableUI: boolean }): Promise<unknown>;
  send(method: 'WebAuthn.addVirtualAuthenticator', params: { options: Record<string, unknown> }): Promise<{ authenticatorId: string }>;
}

export function addPlatformAuthenticator(cdp: CdpSender, options?: AuthenticatorOptions): Promise<string>;
