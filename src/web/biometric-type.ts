/**
 * Best-effort biometric type on the web. WebAuthn deliberately does not say *how* a platform
 * authenticator verifies the user (fingerprint, face, device PIN), so this is a guess from the
 * user agent, documented as such:
 *
 * | platform                        | guess     | why                                              |
 * | ------------------------------- | --------- | ------------------------------------------------ |
 * | iPhone, iPad (incl. iPadOS "Mac") | `faceID`  | every iPhone since X except the SE, iPad Pro     |
 * | macOS                           | `touchID` | Macs verify with Touch ID (or the Watch)         |
 * | Android, Windows, ChromeOS, Linux | `touchID` | `'touchID'` is the Identity Vault 3.x/4.x API's generic "fingerprint"; Windows Hello face and Android face unlock exist but are not told apart |
 *
 * Apps that know better pass `biometricType` to `createWebPlatform`.
 */
import type { BiometricType } from '../core/types.js';

/** What the guess reads from `navigator`. */
export interface UserAgentHints {
  readonly userAgent?: string;
  readonly maxTouchPoints?: number;
  /** `navigator.userAgentData.platform` (Chromium's UA client hints) when present. */
  readonly platform?: string;
}

/** The hints of the current page, read lazily. */
export function currentUserAgentHints(): UserAgentHints {
  const nav = (globalThis as { navigator?: Navigator & { userAgentData?: { platform?: string } } }).navigator;
  if (!nav) return {};
  const hints: { userAgent?: string; maxTouchPoints?: number; platform?: string } = {
    userAgent: nav.userAgent,
    maxTouchPoints: nav.maxTouchPoints,
  };
  if (nav.userAgentData?.platform) hints.platform = nav.userAgentData.platform;
  return hints;
}

/**
 * The guessed biometric type of a device that has a user-verifying platform authenticator.
 *
 * @example
 * ```ts
 * guessBiometricType({ userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) …' }); // 'faceID'
 * ```
 */
export function guessBiometricType(hints: UserAgentHints): Exclude<BiometricType, 'none'> {
  const ua = hints.userAgent ?? '';
  if (/\b(iPhone|iPad|iPod)\b/.test(ua)) return 'faceID';
  // iPadOS 13+ requests the desktop site and says "Macintosh"; touch points give it away.
  if (/\bMacintosh\b/.test(ua) && (hints.maxTouchPoints ?? 0) > 1) return 'faceID';
  if (hints.platform === 'iOS') return 'faceID';
  return 'touchID';
}
