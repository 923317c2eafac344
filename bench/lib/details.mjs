/** The detail sections of BENCHMARKS.md: method, durability, breakdowns, spreads, size. */
import { median, ms, pairedRatio, summary } from './stats.mjs';
import { nodeStoreSection } from './node-figures.mjs';

const table = (header, lines) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...lines.map((line) => `| ${line.join(' | ')} |`)].join('\n');
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const spread = (name, values) => {
  const s = summary(values);
  return [name, ms(s.median), ms(s.p10), ms(s.p90), String(s.n)];
};

function method(plan) {
  return `## How each figure is measured

- **unlock with passcode**: a PasscodeOnly vault holding one value; each round locks it, then times
  \`unlock(true, passcode)\` (attempt counter written, PBKDF2-HMAC-SHA256 600,000 iterations,
  AES-GCM \`unwrapKey\`, counter deleted), and times the KDF alone: \`importKey\` + \`deriveKey\` with
  the same parameters into an AES-GCM key. ${plan.passcode.rounds} rounds after ${plan.passcode.warmup} warm-up.
- **unlock with biometrics**: a BiometricOnly vault on the DevTools virtual authenticator (ctap2,
  internal, PRF, user verification); \`unlock()\` vs a bare \`navigator.credentials.get()\` with
  \`allowCredentials\`, \`userVerification: 'required'\` and \`prf.eval.first\` of another credential
  on the same authenticator. ${plan.biometrics.rounds} rounds.
- **storeValue / getValue 1 KB**: a SecureStorage vault (values encrypted under a data key wrapped
  by the device key, no user needed) and a session-like value whose JSON is 1,024 bytes; idb-keyval
  stores the same object; the baseline is its \`set\` with \`durability: 'strict'\` (as shipped, relaxed,
  shown too). ${plan.store.batch} sequential calls per sample for stores,
  ${plan.get.batch} for gets, ${plan.store.rounds} rounds. The first read after an unlock (IndexedDB +
  AES-GCM decrypt) is shown as an extra row, and the cold start: the vault locked, then \`unlock()\`
  (device key read, unwrap) and the first \`getValue\` timed together, against one idb-keyval \`get\`.
  In the same rounds, the store's floor with no vault around it (\`bench/page/store-floor.ts\`, its
  own database): the value's JSON sealed with AES-256-GCM, then one strict transaction with the
  guard read beside the put and \`commit()\` once the guard passed; and the same without the guard read
  (the put and \`commit()\` at once), which the vault does not do, to show what the guard costs.
- **1,000 sequential storeValue**: 1,000 awaited calls under distinct keys vs 1,000 awaited idb-keyval
  \`set\`s, and 1,000 stores of the floor with and without the guard read; ${plan.thousand.rounds} rounds after ${plan.thousand.warmup} warm-up.
- **unlock with 10 / 1,000 / 10,000 values**: one database per size, filled through the public API
  (values written in memory, persisted in one commit by \`setInMemoryOnly(false)\`, then a passcode
  set, which rotates the data key and re-encrypts every value); the sizes are unlocked round-robin. The device-key row repeats it without the KDF.
- **data-key rotation**: one database per size, a passcode vault filled as above; each round times
  \`setPasscodeEnabled(false)\` (a new data key wrapped under a new device key, every value
  re-encrypted, no KDF) against idb-keyval \`setMany\` of the same values with \`durability: 'strict'\`;
  each of the two timed operations comes right after the same untimed setup (the passcode turned
  back on and set: two rotations and the KDF), so both meet the storage as that setup leaves it. A third
  side in the same rounds, after the same setup, is the rotation's floor (\`bench/page/rotation-floor.ts\`):
  the same work with no vault around it, on a database of its own with as many values (a new data key,
  a new device key and the wrap under it, the values sealed or re-encrypted, one strict transaction
  through \`IndexedDbStore.rewrite\`). ${plan.rotation.smallRounds ?? plan.rotation.rounds} rounds at 10 values, ${plan.rotation.midRounds ?? plan.rotation.rounds} at 1,000,
  ${plan.rotation.rounds} at 10,000, after ${plan.rotation.warmup} warm-up. The tab holds every value then (it wrote
  them): at 10 values it seals them before the transaction, as it does up to 256 (\`src/core/known-values.ts\`).
  Beside it, a prototype with no vault around it (\`bench/page/rotation-mirror.ts\`, 10 values, ${plan.rotationMirror?.rounds ?? '—'} rounds):
  the transaction re-encrypting from ciphertext already held in memory, checked by reading every record again or by one version record.
- **ready() on a new page**: a PasscodeOnly \`IonicIdentityVaultUser\` with a saved session exists
  (set up by an earlier page); each measuring page is new and alone, loads one app-like bundle and
  times from the module's start to \`new IonicIdentityVaultUser(…).ready()\` resolving — or to one
  idb-keyval \`get\` resolving, or (extra) to \`webPlugin().getVault()\`'s \`onReady\`. Each round opens
  user, idb-keyval, plugin, idb-keyval pages in turn (so every page follows one of the other
  database), ${plan.ready.rounds} rounds; each vault page pairs with the idb-keyval page after it.
- **lock seen by a second tab**: two pages of one origin with the same SecureStorage vault; tab A
  calls \`lock()\`; the delay is tab B's \`onLock\` time minus A's call time, both as
  \`performance.timeOrigin + performance.now()\`. ${plan.secondTab.rounds} rounds.
- **5.x Vault against the 3.x/4.x API**: a 5.x \`Vault\` and a 3.x/4.x vault in one database from one web
  plugin (\`bench/page/v5-figures.ts\`): \`setValue\` vs \`storeValue\` of 1 KB on SecureStorage vaults,
  ${plan.v5.batch} per sample, ${plan.v5.rounds} rounds; \`getValue\` of the cached value, ${plan.v5.getBatch} per sample, as many
  rounds; \`unlock()\` of a CustomPasscode vault whose \`onPasscodeRequested\` answers at once vs
  \`unlock(true, passcode)\`, ${plan.passcode.rounds} rounds.
- **size**: the apps in \`bench/size-app\` built by Vite for production, each chunk gzipped at
  level 9 (node:zlib); see "Size" below for what counts as loaded before the first prompt.
- **Node**: \`src/node\` bundled by esbuild; a vault in a temporary directory.`;
}

function durability(run) {
  const { store, thousand } = run.browser;
  return `## Durability: the vault commits 'strict', idb-keyval 'default' (= relaxed)

idb-keyval opens its transactions with \`db.transaction(store, mode)\` and no options, so their
durability is \`'${store.keyvalDurability}'\`; since Chromium 121 \`'default'\` means \`'relaxed'\`: \`complete\`
fires once the data reaches the OS, before it is flushed to disk
([Chrome blog](https://developer.chrome.com/blog/indexeddb-durability-mode-now-defaults-to-relaxed)).
identity-vault opens every transaction with \`durability: 'strict'\` (\`src/web/idb-connection.ts\`), so a
resolved \`storeValue\` or a counted passcode attempt survives a power cut. The first baseline is
therefore not like for like; the second baseline is idb-keyval's own \`set\` through its \`UseStore\`
seam with \`{ durability: 'strict' }\` (\`bench/page/baselines.ts\`).

The bench uses an on-disk Chromium profile: Playwright's ordinary contexts are off the record,
where IndexedDB lives in memory and strict costs nothing.

${table(
  ['one 1 KB set', 'median', 'p10', 'p90', 'n'],
  [
    spread('idb-keyval set (default)', store.keyval),
    spread("idb-keyval set, 'relaxed'", store.keyvalRelaxed),
    spread("idb-keyval set, 'strict'", store.keyvalStrict),
    spread('identity-vault storeValue (strict, encrypted)', store.vault),
    spread('the floor: seal, then the guarded strict transaction (no vault)', store.floor),
    spread('the floor without the guard read', store.unguarded),
  ],
)}

1,000 sequential: idb-keyval ${ms(median(thousand.keyval))}, idb-keyval strict ${ms(median(thousand.keyvalStrict))}, the floor ${ms(median(thousand.floor))} (without the guard ${ms(median(thousand.unguarded))}), identity-vault ${ms(median(thousand.vault))}.`;
}

const pct = (value) => `${value.toFixed(0)}%`;

function breakdowns(run) {
  const { storeBreakdown: sb, unlockBreakdown: ub, passcode } = run.browser;
  const unlockWrites = median(ub.counterUpdate) + median(ub.counterDelete);
  const vsStrict = (samples) => `${pairedRatio(samples, sb.keyvalStrict).toFixed(2)}×`;
  return `## Where the time goes

\`storeValue\` (each step timed alone with the vault's own internals, interleaved round by round
with whole \`storeValue\` calls and idb-keyval's strict \`set\`, \`bench/page/breakdown.ts\`; the last
column is the median per-round ratio to that \`set\`):

${table(
  ['step', 'median', '× strict set'],
  [
    ["idb-keyval set, 'strict' (the baseline)", ms(median(sb.keyvalStrict)), '1.00×'],
    ['storeValue, whole', ms(median(sb.storeValue)), vsStrict(sb.storeValue)],
    ["  the same in a tab that has heard another (it sends a 'changed' message per store)", ms(median(sb.storeValueWithPeer)), vsStrict(sb.storeValueWithPeer)],
    ['seal, then IndexedDbStore.commit with the guard (what storeValue awaits)', ms(median(sb.sealThenCommit)), vsStrict(sb.sealThenCommit)],
    ['  the same with the record as base64 text (before issue 16)', ms(median(sb.sealThenCommitBase64)), vsStrict(sb.sealThenCommitBase64)],
    ['  the same, sealed during the guard read (put + commit() in its onsuccess; not built)', ms(median(sb.sealDuringCommit)), vsStrict(sb.sealDuringCommit)],
    ["the guarded commit with the put issued in the guard's onsuccess (the overlap's cost)", ms(median(sb.guardThenPut)), vsStrict(sb.guardThenPut)],
    ['IndexedDbStore.commit with the meta guard (get + put, commit() once it passed)', ms(median(sb.guardedCommit)), vsStrict(sb.guardedCommit)],
    ['IndexedDbStore.commit without the guard (put, commit())', ms(median(sb.plainCommit)), vsStrict(sb.plainCommit)],
    ['raw strict transaction: guard get + put, auto-commit', ms(median(sb.rawGuardAutoCommit)), vsStrict(sb.rawGuardAutoCommit)],
    ["raw strict transaction: guard get + put, commit() in the guard's onsuccess", ms(median(sb.rawGuardCommitBytes)), vsStrict(sb.rawGuardCommitBytes)],
    ['same, the record holding base64 text instead of bytes (before issue 16)', ms(median(sb.rawGuardCommit)), vsStrict(sb.rawGuardCommit)],
    ['raw strict transaction: fence add + delete + put, commit() at once (tried, not kept)', ms(median(sb.rawFenceCommit)), vsStrict(sb.rawFenceCommit)],
    ['raw strict transaction: put, commit() (no guard)', ms(median(sb.rawPutCommit)), vsStrict(sb.rawPutCommit)],
    ['raw: seal, then the guarded transaction (as the engine does)', ms(median(sb.rawSealThenGuard)), vsStrict(sb.rawSealThenGuard)],
    ["raw: seal during the transaction, put in the guard's onsuccess (tried, not kept)", ms(median(sb.rawSealDuringGuard)), vsStrict(sb.rawSealDuringGuard)],
    ['seal: AES-256-GCM encrypt 1 KB, bytes kept (alone)', ms(median(sb.seal)), ''],
    ['AES-256-GCM encrypt 1 KB (alone)', ms(median(sb.encrypt)), ''],
    ['one BroadcastChannel postMessage (alone)', ms(median(sb.peerPost)), ''],
  ],
)}

Between the app's call and the commit: timestamps around the two platform calls of 200 sequential
\`storeValue\`s (\`storePhases\` in \`bench/page/breakdown.ts\`; medians per store):

${table(
  ['phase', 'median'],
  [
    ["the app's await resuming, validation, JSON, the vault's queue, up to AES-GCM called", ms(run.browser.storePhases.beforeSeal)],
    ["AES-GCM on WebCrypto's thread, until its promise resolves", ms(run.browser.storePhases.cryptoTrip)],
    ['the vault from the sealed bytes to the transaction', ms(run.browser.storePhases.sealToTransaction)],
    ["IDBDatabase.transaction() itself (the browser's; idb-keyval makes the same call)", ms(run.browser.storePhases.transactionCall)],
    ['the transaction: guard read, put, commit(), until complete', ms(run.browser.storePhases.commit)],
  ],
)}

The first and third rows are the vault's own JavaScript per store (a tab alone sends no \`changed\`
message to other tabs: \`src/web/broadcast-peers.ts\`).

A CPU profile of ${run.browser.storeProfile.arg.count} \`storeValue\` calls in this run (\`bench/lib/cpu-profile.mjs\`; \`node bench/profile.mjs storeOne\`
names the functions) finds the page's main thread idle ${pct(run.browser.storeProfile.idle)} of the time — waiting for IndexedDB's
storage process and WebCrypto's thread —, running script (the vault's JavaScript and the page's)
${pct(run.browser.storeProfile.script)}, the browser's own work on the thread ${pct(run.browser.storeProfile.program)}, garbage collection
${pct(run.browser.storeProfile.gc)}. ${
    run.browser.storeProfile.idle >= 50
      ? 'What is left over idb-keyval is round trips, not JavaScript.'
      : 'The thread is idle less than half the time in this run: on a busy machine (see the CPU use of other processes in the header) the samples tell less; `node bench/profile.mjs storeOne` on a quiet one names the functions that cost.'
  }

Passcode unlock besides the KDF:

${table(
  ['step', 'median'],
  [
    ['attempt counter update (get + put, strict)', ms(median(ub.counterUpdate))],
    ['AES-GCM unwrapKey of the data key', ms(median(ub.unwrap))],
    ['attempt counter delete (strict)', ms(median(ub.counterDelete))],
    ['both counter writes if they were relaxed (estimate)', ms(median(ub.bothWritesRelaxedEstimate))],
    ['KDF alone (PBKDF2 600k)', ms(median(passcode.kdf))],
    ['unlock, whole', ms(median(passcode.vault))],
  ],
)}

Non-KDF work is about ${ms(unlockWrites + median(ub.unwrap))} of a ${ms(median(passcode.kdf))} KDF.

\`ready()\` on a new page: the vault calls the session layer makes during setup, made one by one on
new pages (\`#steps\` in \`bench/page/ready-entry.ts\`; the first includes opening the database):

${table(
  ['step', 'median'],
  Object.entries(run.browser.ready.steps).map(([step, values]) => [step, ms(median(values))]),
)}

${nodeStoreSection(run.node)}`;
}

function spreads(run) {
  const { browser, node } = run;
  const lines = [
    spread('unlock with passcode', browser.passcode.vault),
    spread('  PBKDF2 600k alone', browser.passcode.kdf),
    spread('unlock with biometrics', browser.biometrics.vault),
    spread('  bare WebAuthn get() with PRF', browser.biometrics.bare),
    spread('getValue 1 KB, unlocked', browser.get.vault),
    spread('  idb-keyval get', browser.get.keyval),
    spread('getValue, first read after unlock', browser.get.vaultFirstRead),
    spread('unlock, then first getValue (device key)', browser.get.unlockThenRead),
    spread('  one idb-keyval get', browser.get.keyvalOne),
    spread('1,000 storeValue', browser.thousand.vault),
    spread('  1,000 idb-keyval set', browser.thousand.keyval),
    spread("  1,000 idb-keyval set, 'strict'", browser.thousand.keyvalStrict),
    spread('  1,000 stores of the floor (no vault)', browser.thousand.floor),
    spread('  1,000 stores of the floor without the guard read', browser.thousand.unguarded),
  ];
  for (const auth of ['passcode', 'device'])
    for (const n of [10, 1000, 10000]) lines.push(spread(`unlock (${auth}), ${n.toLocaleString('en')} values`, browser.scale[`${auth}:${n}`]));
  lines.push(
    spread('ready() on a new page', browser.ready.user),
    spread('  getVault → onReady on a new page', browser.ready.plugin),
    spread('  idb-keyval get on a new page (after a user page)', browser.ready.keyval),
    spread('  idb-keyval get on a new page (after a plugin page)', browser.ready.keyvalAfterPlugin),
    spread('lock seen by a second tab', browser.secondTab),
    spread('Node: unlock with passcode', node.unlock.vault),
    spread('  Node: PBKDF2 600k alone', node.unlock.kdf),
    spread('Node: storeValue 1 KB', node.store.vault),
    spread('  Node: tmp + fsync + rename + dir fsync', node.store.durableWrite),
    spread('  Node: writeFile (no fsync)', node.store.writeFile),
    spread('Node file store: meta read', node.steps.metaRead),
    spread('Node file store: counter update', node.steps.counterUpdate),
    spread('Node file store: counter delete', node.steps.counterDelete),
  );
  return `## Spread of every sample set

${table(['samples', 'median', 'p10', 'p90', 'n'], lines)}`;
}

function sizeSection(size) {
  const apps = size.apps;
  return `## Size

Each app is built by Vite ${size.vite} for production (\`bench/size-app\`, Rollup chunks, esbuild
minify) and every chunk gzipped at level 9. The entry's figure is what identity-vault adds: the
same app without identity-vault (\`empty.ts\`) has a ${kb(size.empty.gzip)} entry (Vite's module-preload
polyfill), subtracted. "Before the first prompt" is the entry plus every chunk a call awaits
before the app can ask the user anything; "later" are the chunks the web platform loads with
\`import()\` on first use (${size.onFirstUse.map((f) => `\`${f}\``).join(', ')}) and what only they import. The
Capacitor platform, which the default plugin picks instead of the web one on a native device, is
listed as "native platforms only" and counted in neither (a browser never loads it).

${table(
  ['app', 'entry chunk (added)', 'before the first prompt', 'later (lazy chunks)', 'all'],
  apps.map((app) => [app.label, kb(app.entryAdds.gzip), kb(app.firstLoad.gzip), kb(app.lazy.gzip), kb(app.total.gzip)]),
)}

Minified (before gzip): ${apps.map((app) => `${app.short}: entry ${kb(app.entryAdds.minified)}, before the first prompt ${kb(app.firstLoad.minified)}, later ${kb(app.lazy.minified)}`).join('; ')}.
For scale: idb-keyval \`get\` + \`set\` is ${kb(size.keyval.gzip)} min+gzip.

${apps
  .map(
    (
      app,
    ) => `Chunks of the ${app.short} app (5.x API modules in it: ${app.holds.vaultApi.length === 0 ? 'none' : app.holds.vaultApi.join(', ')}; 3.x/4.x session modules: ${app.holds.session.length === 0 ? 'none' : app.holds.session.length}):

${table(
  ['chunk', 'when', 'minified', 'min + gzip', 'source modules'],
  app.chunks.map((chunk) => [chunk.name, chunk.when, kb(chunk.minified), kb(chunk.gzip), chunk.modules.map((m) => m.replace(/^src\//, '')).join(', ')]),
)}

Minified bytes loaded before the first prompt, by source group and largest files (esbuild build
of the same app with splitting, metafile):

${table(
  ['group', 'minified'],
  app.contributors.groups.map(({ group, bytes }) => [group, kb(bytes)]),
)}

${table(
  ['file', 'minified'],
  app.contributors.files.slice(0, 12).map(({ file, bytes }) => [file, kb(bytes)]),
)}`,
  )
  .join('\n\n')}`;
}

function crossCheck(rows) {
  const format = (row, value) => (row.kind === 'difference' ? `${value >= 0 ? '+' : ''}${ms(value)}` : `${value.toFixed(2)}×`);
  const lines = rows.filter((row) => row.check !== undefined).map((row) => [row.figure, format(row, row.value), format(row, row.check)]);
  return `## Cross-check: paired result vs ratio of medians

The table's result is the median of per-round ratios (differences for biometrics); the ratio of the
two medians should tell the same story — where they disagree, the run was noisy.

${table(['figure', 'median of per-round ratios', 'ratio of medians'], lines)}`;
}

/** Every detail section. */
export function details(run) {
  return [method(run.plan), durability(run), breakdowns(run), crossCheck(run.rows), spreads(run), sizeSection(run.size)].join('\n\n');
}
