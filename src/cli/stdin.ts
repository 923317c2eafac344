/**
 * Standard input for the command, read asynchronously from the stream: passcode lines for
 * `--passcode-stdin`, then the rest as `set`'s value.
 *
 * Why not `readFileSync(0)`: once `process.stdin` exists, Node has put descriptor 0 of a pipe or
 * socket in non-blocking mode, and a synchronous read of input that has not arrived yet fails with
 * EAGAIN (`(sleep 1; echo pass) | identity-vault unlock --passcode-stdin` failed). Reading the
 * stream waits for the data instead, and a line is handed out as soon as it is complete, so a
 * writer that keeps the pipe open after the passcode does not hang the command.
 */
import { StringDecoder } from 'node:string_decoder';

/** The stream parts the reader uses (`process.stdin` or a test double). */
export interface InputStream {
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Reads standard input in order: whole lines, then everything that is left. */
export interface StdinReader {
  /** The next line without its line ending; `undefined` at the end of input. */
  line(): Promise<string | undefined>;
  /** Everything not yet read, up to the end of input. */
  rest(): Promise<string>;
}

/** A reader of `input`; it listens only once something is asked, and pauses between requests. */
export function createStdinReader(input: InputStream): StdinReader {
  const decoder = new StringDecoder('utf8');
  let buffered = '';
  let ended = false;
  let failure: Error | undefined;
  let listening = false;
  let wake: (() => void) | undefined;

  const listen = () => {
    if (listening) return;
    listening = true;
    input.on('data', (chunk) => {
      buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      wake?.();
    });
    input.on('end', () => {
      buffered += decoder.end();
      ended = true;
      wake?.();
    });
    input.on('error', (error) => {
      failure = error;
      wake?.();
    });
  };

  /** Wait until `ready()` holds or the input ends; input is paused again afterwards (so the process can exit). */
  const until = async (ready: () => boolean) => {
    listen();
    input.resume();
    try {
      while (!ready() && !ended && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
    } finally {
      wake = undefined;
      input.pause();
    }
    if (failure !== undefined) throw failure;
  };

  return {
    async line() {
      await until(() => buffered.includes('\n'));
      if (buffered === '' && ended) return undefined;
      const end = buffered.indexOf('\n');
      const line = end === -1 ? buffered : buffered.slice(0, end);
      buffered = end === -1 ? '' : buffered.slice(end + 1);
      return line.endsWith('\r') ? line.slice(0, -1) : line;
    },
    async rest() {
      await until(() => false);
      const text = buffered;
      buffered = '';
      return text;
    },
  };
}
