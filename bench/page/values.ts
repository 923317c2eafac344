/** The values the benches store: JSON data of an exact serialised size, like a session. */

/** A session-like object whose `JSON.stringify` is exactly `bytes` long (ASCII). */
export function valueOfSize(bytes: number, seed = 0): { username: string; token: string } {
  const username = `ada-${seed}`;
  const overhead = JSON.stringify({ username, token: '' }).length;
  if (bytes < overhead) throw new Error(`a value needs at least ${overhead} bytes`);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let token = '';
  for (let i = 0; i < bytes - overhead; i++) token += alphabet[(i * 7 + seed * 13) % alphabet.length];
  return { username, token };
}

/** The 1 KB value of the store/get figures: `JSON.stringify` gives 1,024 bytes. */
export const VALUE_1KB = valueOfSize(1024);
