/**
 * The results table: each figure, its baseline from the same run, the ratio (or difference) and
 * whether the target is met. Subject and baseline are shown as medians; the result is the median
 * over rounds of the per-round ratio (or difference) — the two sides of a round ran back to back,
 * so the machine's slow phases cancel out. The ratio of the medians is kept as a cross-check.
 */
import { median, pairedDifference, pairedRatio, pairedRatioInterval } from './stats.mjs';

/** Ratios are shown with two decimals; the verdict uses the number shown. */
export const shown = (value) => Math.round(value * 100) / 100;

const SIZES = [10, 1000, 10000];

/** A row comparing medians as a ratio. */
function ratioRow(figure, subject, baseline, baselineLabel, limit, note) {
  const value = pairedRatio(subject, baseline);
  const check = median(subject) / median(baseline);
  const interval = pairedRatioInterval(subject, baseline);
  return {
    figure,
    subject: median(subject),
    baseline: median(baseline),
    baselineLabel,
    kind: 'ratio',
    value,
    check,
    interval,
    target: limit === undefined ? '—' : `≤ ${limit.toFixed(2)}×`,
    met: limit === undefined ? null : shown(value) <= limit,
    // The verdict is the median's; `close` when this run's interval reaches the other side of the target.
    close: limit === undefined ? false : shown(interval[0]) <= limit && shown(interval[1]) > limit,
    note,
  };
}

/** Size targets (min+gzip, KB of 1,024 bytes), per app measured in `bench/size-app`. */
export const SIZE_TARGETS = { firstLoad: 10, total: 16 };

/** The size rows: per app, what loads before the first prompt and everything. */
function sizeRows(size) {
  const rows = [];
  for (const app of size.apps) {
    const bytes = (figure, value, limit, note) => ({
      figure,
      subject: value,
      baseline: NaN,
      baselineLabel: '—',
      kind: 'bytes',
      value,
      target: `≤ ${limit} KB`,
      met: value <= limit * 1024,
      note,
    });
    rows.push(bytes(`size, ${app.short}: loaded before the first prompt (Vite app, min+gzip)`, app.firstLoad.gzip, SIZE_TARGETS.firstLoad));
    rows.push(bytes(`size, ${app.short}: all chunks (Vite app, min+gzip)`, app.total.gzip, SIZE_TARGETS.total));
    // An app of one API generation must not carry the other's code.
    const other = app.id === 'v4' ? app.holds.vaultApi : app.holds.session;
    rows.push({
      figure: `size, ${app.short}: modules of the other API in the app`,
      subject: other.length,
      baseline: NaN,
      baselineLabel: '—',
      kind: 'count',
      value: other.length,
      target: 'none',
      met: other.length === 0,
    });
  }
  return rows;
}

/** Rows of the results table from the raw samples. */
export function resultRows(browser, node, size) {
  const rows = [];
  rows.push(ratioRow('unlock with passcode', browser.passcode.vault, browser.passcode.kdf, 'PBKDF2-SHA256 600k alone (WebCrypto)', 1.1));
  const bioDiff = pairedDifference(browser.biometrics.vault, browser.biometrics.bare);
  rows.push({
    figure: 'unlock with biometrics',
    subject: median(browser.biometrics.vault),
    baseline: median(browser.biometrics.bare),
    baselineLabel: 'bare WebAuthn get() with PRF (virtual authenticator)',
    kind: 'difference',
    value: bioDiff,
    check: median(browser.biometrics.vault) - median(browser.biometrics.bare),
    target: '≤ +2 ms',
    met: bioDiff <= 2,
  });
  rows.push(ratioRow('storeValue 1 KB, durable, encrypted', browser.store.vault, browser.store.keyvalStrict, "idb-keyval set, durability 'strict'", 1.15));
  // The floor in the same rounds: what bounds the figure on the machine as it was (see Missed targets).
  rows.push(
    ratioRow(
      "storeValue's floor: seal + guarded strict transaction, no vault",
      browser.store.floor,
      browser.store.keyvalStrict,
      "idb-keyval set, durability 'strict'",
      undefined,
      'the same rounds as storeValue',
    ),
  );
  rows.push(
    ratioRow(
      "storeValue's floor without the guard read (unsafe: measured only)",
      browser.store.unguarded,
      browser.store.keyvalStrict,
      "idb-keyval set, durability 'strict'",
      undefined,
      'what the guard costs',
    ),
  );
  rows.push(ratioRow('storeValue 1 KB vs its floor', browser.store.vault, browser.store.floor, 'the floor, same rounds', undefined, "the vault's own work"));
  rows.push(
    ratioRow(
      'storeValue 1 KB vs idb-keyval as shipped (relaxed)',
      browser.store.vault,
      browser.store.keyval,
      `idb-keyval set (durability '${browser.store.keyvalDurability}' = relaxed in Chromium)`,
      undefined,
      'not like for like: see Durability',
    ),
  );
  rows.push(ratioRow('getValue 1 KB, unlocked', browser.get.vault, browser.get.keyval, 'idb-keyval get', 0.5));
  rows.push(ratioRow('getValue 1 KB, first read after unlock', browser.get.vaultFirstRead, browser.get.keyvalOne, 'idb-keyval get', undefined, 'extra'));
  rows.push(
    ratioRow(
      'unlock, then first getValue 1 KB (cold start, device key)',
      browser.get.unlockThenRead,
      browser.get.keyvalOne,
      'idb-keyval get',
      undefined,
      'the path of every cold start',
    ),
  );
  rows.push(ratioRow('1,000 sequential storeValue', browser.thousand.vault, browser.thousand.keyvalStrict, "1,000 idb-keyval set, 'strict'", 1.15));
  rows.push(
    ratioRow(
      '1,000 stores of the floor (no vault)',
      browser.thousand.floor,
      browser.thousand.keyvalStrict,
      "1,000 idb-keyval set, 'strict'",
      undefined,
      'the same rounds',
    ),
  );
  rows.push(
    ratioRow(
      '1,000 stores of the floor without the guard read',
      browser.thousand.unguarded,
      browser.thousand.keyvalStrict,
      "1,000 idb-keyval set, 'strict'",
      undefined,
      'what the guard costs',
    ),
  );
  rows.push(
    ratioRow(
      '1,000 sequential storeValue vs idb-keyval as shipped',
      browser.thousand.vault,
      browser.thousand.keyval,
      '1,000 idb-keyval set (relaxed)',
      undefined,
      'not like for like',
    ),
  );
  // Issue 11: a change of protection re-encrypts every value under a new data key in one transaction.
  for (const n of SIZES) {
    const label = n.toLocaleString('en');
    rows.push(
      ratioRow(
        `data-key rotation, ${label} values of 1 KB`,
        browser.rotation[`vault:${n}`],
        browser.rotation[`keyval:${n}`],
        `idb-keyval setMany of the same ${label} values, 'strict'`,
        1.5,
      ),
    );
    // The floor in the same rounds (bench/page/rotation-floor.ts): what bounds the figure on the machine as it was.
    const floor = browser.rotation[`floor:${n}`];
    if (!floor?.length) continue;
    rows.push(
      ratioRow(
        `data-key rotation's floor, ${label} values: the one transaction and its crypto, no vault`,
        floor,
        browser.rotation[`keyval:${n}`],
        `idb-keyval setMany of the same ${label} values, 'strict'`,
        undefined,
        'the same rounds as the rotation',
      ),
    );
    rows.push(
      ratioRow(
        `data-key rotation, ${label} values vs its floor`,
        browser.rotation[`vault:${n}`],
        floor,
        'the floor, same rounds',
        undefined,
        "the vault's own work",
      ),
    );
  }
  for (const auth of ['passcode', 'device']) {
    const medians = SIZES.map((n) => median(browser.scale[`${auth}:${n}`]));
    // Each size relative to the smallest, in the same round; then largest ÷ smallest of those.
    const relative = SIZES.map((n) => pairedRatio(browser.scale[`${auth}:${n}`], browser.scale[`${auth}:${SIZES[0]}`]));
    const value = Math.max(...relative) / Math.min(...relative);
    rows.push({
      figure: auth === 'passcode' ? 'unlock with 10 / 1,000 / 10,000 values' : 'unlock (device key) with 10 / 1,000 / 10,000 values',
      subject: Math.max(...medians),
      baseline: Math.min(...medians),
      baselineLabel: 'each other (largest ÷ smallest)',
      kind: 'ratio',
      value,
      check: Math.max(...medians) / Math.min(...medians),
      target: auth === 'passcode' ? '≤ 1.20' : '—',
      met: auth === 'passcode' ? shown(value) <= 1.2 : null,
      detail: medians,
      note: auth === 'device' ? 'extra: no KDF, so store-size costs would show' : undefined,
    });
  }
  rows.push(ratioRow('ready() on a new page, existing vault', browser.ready.user, browser.ready.keyval, 'one idb-keyval get on a new page', 3));
  rows.push(
    ratioRow(
      'getVault → onReady on a new page',
      browser.ready.plugin,
      browser.ready.keyvalAfterPlugin,
      'one idb-keyval get on a new page',
      undefined,
      'extra: plugin level',
    ),
  );
  const tab = median(browser.secondTab);
  rows.push({
    figure: 'lock seen by a second tab',
    subject: tab,
    baseline: NaN,
    baselineLabel: '—',
    kind: 'time',
    value: tab,
    target: '≤ 50 ms median',
    met: tab <= 50,
  });
  rows.push(...sizeRows(size));
  if (browser.v5) {
    const { values, unlock } = browser.v5;
    rows.push(ratioRow('5.x Vault.setValue 1 KB', values.v5Set, values.v4Store, '3.x/4.x storeValue, same run', 1.05));
    rows.push(ratioRow('5.x Vault.getValue 1 KB, unlocked', values.v5Get, values.v4Get, '3.x/4.x getValue, same run', 1.05));
    rows.push(ratioRow('5.x Vault.unlock (CustomPasscode)', unlock.v5, unlock.v4, '3.x/4.x unlock(true, passcode), same run', 1.05));
  }
  rows.push(ratioRow('Node: unlock with passcode', node.unlock.vault, node.unlock.kdf, 'PBKDF2-SHA256 600k alone (node:crypto webcrypto)', 1.1));
  rows.push(ratioRow('Node: storeValue 1 KB (file store)', node.store.vault, node.store.durableWrite, 'tmp file + fsync + rename + dir fsync', 1.5));
  return rows;
}
