/**
 * Stand-ins for what the Vue app imported from its framework: `isPlatform` and `modalController`
 * from `@ionic/vue`, `Plugins.Storage` from `@capacitor/core` 2.x (see ../harness.ts), its router
 * and its Vuex store (state, getters, commits), reduced to what the session code touches.
 */
import { CapacitorStorageStandIn } from '../harness.js';
import type { Session } from './session-vault-service.js';

let platforms: readonly string[] = [];
export function runOn(names: readonly string[]): void {
  platforms = names;
}
export function isPlatform(name: string): boolean {
  return platforms.includes(name);
}

export const Plugins = { Storage: new CapacitorStorageStandIn() };

/** The PIN dialog modal: each `create` answers with the next queued value. */
export const modalController = {
  answers: [] as Array<string | undefined>,
  opened: [] as boolean[],
  async create(options: { componentProps: { setPasscodeMode: boolean } }) {
    modalController.opened.push(options.componentProps.setPasscodeMode);
    const data = modalController.answers.length > 1 ? modalController.answers.shift() : modalController.answers[0];
    return { present: async () => undefined, onDidDismiss: async () => ({ data }) };
  },
};

export const router = {
  history: [] as string[],
  replace(path: string) {
    router.history.push(path);
  },
};

/** The root Vuex module: the session, its token getter, and the actions' commits. */
export const store = {
  state: { session: undefined as Session | undefined },
  getters: {
    get sessionToken(): string | undefined {
      return store.state.session?.token;
    },
  },
  commit(mutation: 'SET_SESSION' | 'CLEAR_SESSION', session?: Session) {
    store.state.session = mutation === 'SET_SESSION' ? session : undefined;
  },
  dispatch(action: 'clear') {
    if (action === 'clear') store.commit('CLEAR_SESSION');
  },
};
