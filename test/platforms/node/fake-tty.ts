/**
 * A scripted terminal for the built-in prompt: keystrokes are queued per prompt and delivered
 * when the prompt starts reading (as a real TTY delivers what the user types after the label).
 */
import type { TerminalInput, TerminalOutput } from 'identity-vault/node';

type DataListener = (chunk: Buffer | string) => void;

export class FakeTty implements TerminalInput {
  readonly isTTY = true;
  isRaw = false;
  readonly rawModes: boolean[] = [];
  private readonly dataListeners = new Set<DataListener>();
  private readonly endListeners = new Set<() => void>();
  private readonly pending: Array<Buffer | string | 'END'> = [];
  private flowing = false;

  /** Keystrokes for the next prompt, delivered as one chunk (a paste) or given as several. */
  type(...chunks: Array<Buffer | string>): void {
    this.pending.push(...chunks);
    this.pump();
  }

  /** The answers of a conformance driver: a passcode then Enter, or Ctrl-C for `undefined`. */
  answer(...answers: Array<string | undefined>): void {
    for (const answer of answers) this.type(answer === undefined ? '\u0003' : `${answer}\r`);
  }

  /** The input ends (stdin closed). */
  end(): void {
    this.pending.push('END');
    this.pump();
  }

  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    this.rawModes.push(mode);
    return this;
  }

  on(event: 'data' | 'end', listener: DataListener | (() => void)): this {
    if (event === 'data') this.dataListeners.add(listener as DataListener);
    else this.endListeners.add(listener as () => void);
    this.pump();
    return this;
  }

  off(event: 'data' | 'end', listener: DataListener | (() => void)): this {
    if (event === 'data') this.dataListeners.delete(listener as DataListener);
    else this.endListeners.delete(listener as () => void);
    return this;
  }

  resume(): this {
    this.flowing = true;
    this.pump();
    return this;
  }

  pause(): this {
    this.flowing = false;
    return this;
  }

  get listening(): number {
    return this.dataListeners.size;
  }

  private pump(): void {
    setImmediate(() => {
      if (!this.flowing || this.dataListeners.size === 0) return;
      const next = this.pending.shift();
      if (next === undefined) return;
      if (next === 'END') for (const listener of [...this.endListeners]) listener();
      else for (const listener of [...this.dataListeners]) listener(next);
      this.pump();
    });
  }
}

/** Collects what the prompt writes. */
export class CapturedOutput implements TerminalOutput {
  text = '';
  write(text: string): boolean {
    this.text += text;
    return true;
  }
}
