/**
 * The custom passcode hand-over of a `CustomPasscode` vault: the vault asks through the app's
 * `onPasscodeRequested` callback and the app answers with `onComplete(code)` (Identity Vault 6.0)
 * or `vault.setCustomPasscode(code)` (5.x); `''` means the user cancelled. A passcode given before
 * anyone asked is kept for the next operation that needs one, which then does not call back.
 */
import { invalidArguments, missingPasscode, unknownError, userCanceled, VaultError } from '../core/errors.js';
import { checkPasscode } from '../core/validate.js';

/** Hands the passcode to the vault; `''` cancels. */
export type OnCompleteFunction = (code: string) => void;

/**
 * The app's passcode prompt: show a dialog (`isPasscodeSetRequest`: a new passcode is being set),
 * then answer with `onComplete(code)` or `vault.setCustomPasscode(code)`.
 */
export type PasscodeRequestCallback = (isPasscodeSetRequest: boolean, onComplete: OnCompleteFunction) => Promise<void> | void;

interface Waiting {
  readonly promise: Promise<string>;
  resolve(code: string): void;
  reject(error: unknown): void;
}

export class PasscodeRequests {
  callback: PasscodeRequestCallback | undefined;
  #given: string | undefined;
  #waiting: Waiting | undefined;

  /** Whether the app answers passcode requests itself (otherwise the platform's built-in prompt asks). */
  get handledByApp(): boolean {
    return this.callback !== undefined || this.#given !== undefined;
  }

  /** The app's answer: completes the open request, or is kept for the next one. */
  supply(code: string): void {
    const waiting = this.#waiting;
    if (waiting) {
      this.#waiting = undefined;
      waiting.resolve(code);
    } else this.#given = code;
  }

  /** Forgets a passcode given ahead (lock, clear: it must not unlock later by surprise). */
  forget(): void {
    this.#given = undefined;
  }

  /**
   * The passcode for the operation in progress. `''` (cancel) is `UserCanceledInteraction`; an
   * invalid passcode is `InvalidArguments`; a callback that throws fails the request with its error.
   */
  async request(isPasscodeSetRequest: boolean): Promise<string> {
    const code = await this.#answer(isPasscodeSetRequest);
    if (code === '') throw userCanceled('The passcode request was cancelled (an empty passcode was given).');
    return checkPasscode(code);
  }

  #answer(isPasscodeSetRequest: boolean): Promise<string> {
    if (this.#given !== undefined) {
      const code = this.#given;
      this.#given = undefined;
      return Promise.resolve(code);
    }
    if (this.#waiting) return this.#waiting.promise; // one dialog for concurrent needs
    const callback = this.callback;
    if (!callback) return Promise.reject(missingPasscode('No passcode was given: register onPasscodeRequested or call setCustomPasscode first.'));
    let resolve!: (code: string) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<string>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const waiting: Waiting = { promise, resolve, reject };
    this.#waiting = waiting;
    const fail = (error: unknown) => {
      if (this.#waiting === waiting) this.#waiting = undefined;
      waiting.reject(error instanceof VaultError ? error : unknownError('onPasscodeRequested failed; see `cause`.', { cause: error }));
    };
    try {
      const returned = callback(isPasscodeSetRequest, (code: string) => {
        if (typeof code !== 'string') return fail(invalidArguments('onComplete needs the passcode as a string.'));
        if (this.#waiting === waiting) this.supply(code);
      });
      if (returned && typeof (returned as Promise<void>).then === 'function') (returned as Promise<void>).then(undefined, fail);
    } catch (error) {
      fail(error);
    }
    return promise;
  }
}
