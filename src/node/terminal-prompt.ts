/**
 * The built-in passcode prompt on Node: reads from the terminal without echo.
 */
import { StringDecoder } from 'node:string_decoder';
import type { PasscodePromptPort, PasscodePromptPurpose, PasscodePromptTexts } from '../core/ports.js';
import { userCanceled } from '../core/errors.js';

/** A terminal input: `process.stdin` or a test double. */
export interface TerminalInput {
  readonly isTTY?: boolean;
  readonly isRaw?: boolean;
  /** Node streams: whether data was flowing before the prompt (it is left as it was). */
  readonly readableFlowing?: boolean | null;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Where the prompt text goes: `process.stderr` by default, so stdout stays clean for output. */
export interface TerminalOutput {
  write(text: string): unknown;
}

/** Options of {@link createTerminalPrompt}. */
export interface TerminalPromptOptions {
  /** @default process.stdin */
  readonly input?: TerminalInput;
  /** @default process.stderr */
  readonly output?: TerminalOutput;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const CTRL_U = '\u0015';
const ESC = '\u001b';

function label(purpose: PasscodePromptPurpose, descriptor: { vaultId: string; username: string }, texts?: PasscodePromptTexts): string {
  const vault = `vault "${descriptor.vaultId}" (${descriptor.username})`;
  if (purpose === 'setup') return `New passcode for ${vault}: `;
  if (purpose === 'confirm') return 'Repeat the new passcode: ';
  // The app's unlock-prompt texts (androidPromptTitle/Subtitle/Description), one line each, above the prompt.
  const heading = [texts?.title, texts?.subtitle, texts?.description].filter((text) => text !== undefined && text !== '');
  return [...heading, `Passcode for ${vault}: `].join('\n');
}

/**
 * A {@link PasscodePromptPort} on the terminal. Typing is not echoed; Backspace deletes, Ctrl-U
 * clears the line, Enter submits, Ctrl-C (or Ctrl-D on an empty line, or the end of input)
 * cancels and resolves `undefined`.
 *
 * @example
 * ```ts
 * const prompt = createTerminalPrompt();
 * const passcode = await prompt.request({ purpose: 'unlock', descriptor: { vaultId: 'app', username: 'ada' } });
 * ```
 * @throws VaultError `UserCanceledInteraction` when the input is not a terminal (no TTY): there is
 * no one to ask, so the app must supply `onPasscodeRequest` or pass the passcode.
 */
export function createTerminalPrompt(options: TerminalPromptOptions = {}): PasscodePromptPort {
  return new TerminalPrompt(options);
}

class TerminalPrompt implements PasscodePromptPort {
  readonly #options: TerminalPromptOptions;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: TerminalPromptOptions) {
    this.#options = options;
  }

  request({ purpose, descriptor, texts }: Parameters<PasscodePromptPort['request']>[0]): Promise<string | undefined> {
    const input = this.#options.input ?? (process.stdin as TerminalInput);
    const output = this.#options.output ?? process.stderr;
    if (input.isTTY !== true || typeof input.setRawMode !== 'function') {
      return Promise.reject(
        userCanceled('No terminal to ask for a passcode (stdin is not a TTY): supply onPasscodeRequest, or pass the passcode to unlock() / setPasscode()'),
      );
    }
    // One prompt at a time: two prompts reading one terminal would split the keystrokes.
    const run = this.#queue.then(() => readHidden(input, output, label(purpose, descriptor, texts)));
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/**
 * Read one line from the terminal `input` without echo, after writing `label` to `output`: for
 * secrets that are not passcodes (the CLI's `set` value). Resolves `undefined` on Ctrl-C, Ctrl-D
 * on an empty line, or the end of input. `input` must be a TTY with `setRawMode`.
 */
export function readHiddenLine(input: TerminalInput, output: TerminalOutput, label: string): Promise<string | undefined> {
  return readHidden(input, output, label);
}

function readHidden(input: TerminalInput, output: TerminalOutput, text: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const wasRaw = input.isRaw === true;
    const wasFlowing = input.readableFlowing === true;
    const decoder = new StringDecoder('utf8');
    let typed: string[] = [];
    const finish = (result: string | undefined) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.setRawMode?.(wasRaw);
      if (!wasFlowing) input.pause();
      output.write('\n');
      typed = [];
      resolve(result);
    };
    const onEnd = () => finish(undefined);
    const onData = (chunk: Buffer | string) => {
      const chars = [...(typeof chunk === 'string' ? chunk : decoder.write(chunk))];
      for (let i = 0; i < chars.length; i++) {
        const char = chars[i] as string;
        if (char === '\r' || char === '\n') return finish(typed.join(''));
        if (char === CTRL_C || (char === CTRL_D && typed.length === 0)) return finish(undefined);
        if (char === '\u007f' || char === '\b') typed.pop();
        else if (char === CTRL_U) typed = [];
        else if (char === ESC) {
          // An escape sequence (arrow keys, …): skip `ESC [ params final-byte`.
          if (chars[i + 1] === '[' || chars[i + 1] === 'O') {
            i += 2;
            while (i < chars.length && !/[@-~]/.test(chars[i] as string)) i++;
          }
        } else if (char >= ' ') typed.push(char);
      }
    };
    // Raw mode (no echo) before the label: whoever sees the label may type at once.
    input.setRawMode?.(true);
    output.write(text);
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}
