/** The native plugin platform through Capacitor's bridge, ios flavour (see maintained/bridge-suite.ts). */
import { bridgeSuite } from './maintained/bridge-suite.js';

bridgeSuite('ios');
