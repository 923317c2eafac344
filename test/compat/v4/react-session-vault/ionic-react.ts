/**
 * Stand-ins for the framework calls the React app makes: `isPlatform` from `@ionic/react` and
 * `Plugins.Storage` from `@capacitor/core` 2.x (see ../harness.ts for the storage's behaviour).
 */
import { CapacitorStorageStandIn } from '../harness.js';

let platforms: readonly string[] = [];

/** What the test says the app runs on (`['capacitor', 'hybrid']` on a device, `[]` in a browser). */
export function runOn(names: readonly string[]): void {
  platforms = names;
}

/** `@ionic/react`'s `isPlatform(name)`. */
export function isPlatform(name: string): boolean {
  return platforms.includes(name);
}

/** `@capacitor/core`'s `Plugins`, as far as the app uses it. */
export const Plugins = { Storage: new CapacitorStorageStandIn() };
