/** The size figure: `identity-vault/web` alone (the plugin API, no session layer). */
import { webPlugin } from '../../src/web/index.js';

export const vault = webPlugin().getVault({ vaultId: 'app', username: 'ada' });
