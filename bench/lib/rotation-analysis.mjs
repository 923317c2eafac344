/**
 * The data-key rotation part of BENCHMARKS.md's analysis: what bounds a rotation against `setMany`
 * of the same values, from this run's breakdown (bench/page/rotation-figures.ts), its timestamps
 * (bench/page/rotation-phases.ts) and the bench-only prototype (bench/page/rotation-mirror.ts).
 */
import { median, ms, pairedDifference, pairedDifferenceInterval, pairedRatio, pairedRatioInterval, signedMs as signed, timesWithInterval } from './stats.mjs';

/**
 * The ways a rotation can check what it overwrites at 10 values, as the bench-only prototype
 * (bench/page/rotation-mirror.ts) measures them, from this run's rows; empty for a run without it.
 */
function mirrorText(mirror, x) {
  if (!mirror) return '';
  const r = (key) => pairedRatio(mirror[key], mirror.keyval);
  const reread = Math.min(r('mirrorReread'), r('mirrorFirst'));
  const versionCost = pairedRatio(mirror.storeGuardedVersion, mirror.storeGuarded);
  const outcome =
    reread <= 1.5
      ? `Checked by reading every record, the prototype meets ≤ 1.5× here (${x(reread)}); the vault's rotation does that work, plus its own around it (above).`
      : r('mirrorVersion') <= 1.5
        ? `Only the version check meets ≤ 1.5×, and it would cost every write of every tab its extra put (${x(versionCost)} on a guarded store in this run): \`storeValue\`, whose floor already sits at its own ≤ 1.15× (above), would pay that put on every call, so the version check trades one missed target for another, and ties every release to writing the version; checked by reading every record, the prototype stays at ${x(reread)}.`
        : `None of them meets ≤ 1.5× at this size.`;
  return `At 10 values, the ways a rotation can check what it overwrites, as a prototype in the bench with no vault around it (\`bench/page/rotation-mirror.ts\`, re-encrypting from ciphertext held), against its own \`setMany\`, same run: the parts transaction ${x(r('today'))}; re-reading every record while the re-encryption runs ${x(r('mirrorReread'))}; everything issued at once after it ${x(r('mirrorFirst'))} (what the vault now does with the values it holds, from their plaintext); checking one version record instead of every record ${x(r('mirrorVersion'))} — safe only if every readwrite transaction, in every tab and release, also writes the version; that put takes a single guarded store to ${x(versionCost)} of its time without it. ${outcome}
`;
}

/**
 * The phases of one timed rotation (bench/page/rotation-phases.ts), in order: a label, the key,
 * whose time it is (the page's own work or a wait on the storage), and a short label.
 */
const ROTATION_PHASES = [
  [
    'the call until the read-write transaction is created: the new data key made, the 10 values held sealed under it (the device key and its wrap dispatched)',
    'beforeTransaction',
    'page',
    'the call until the transaction is created',
  ],
  [
    "the transaction created until its first request (the meta guard) answers: the storage's round trip, the sealed copies issued meanwhile",
    'firstAnswer',
    'storage',
    'until its first request answers',
  ],
  ['until the read of every value answers', 'valuesAnswer', 'storage', 'until the values answer'],
  ["the page from there to `commit()`: the fingerprints checked, finish's meta and device key put", 'toCommit', 'page', 'the page from there to `commit()`'],
  ['`commit()` until `complete`: the storage works through the puts and commits (strict)', 'commit', 'storage', '`commit()` until `complete`'],
  [
    '`complete` until the call resolves (the cache re-fingerprinted, the device key settled, the config event)',
    'afterComplete',
    'page',
    '`complete` until the call resolves',
  ],
];

/** Of `phases`' medians, the sum over the page's phases or the storage's. */
const phaseSum = (phases, side) => ROTATION_PHASES.filter((row) => row[2] === side).reduce((sum, row) => sum + median(phases[row[1]]), 0);

function rotationPhasesText(phases, x) {
  if (!phases?.whole?.length) return '';
  const r = (values) => pairedRatio(values, phases.keyval);
  const rows = ROTATION_PHASES;
  const side = (name) => phaseSum(phases, name);
  const whole = median(phases.whole);
  return `
One 10-value rotation by timestamps, in the figure's own conditions (\`rotationPhases\` in
\`bench/page/rotation-phases.ts\`: the page wraps \`IDBDatabase.transaction\` and \`commit\` for the
timed call only, both sides timed right after the same setup as in the figure; ${phases.whole.length} rounds, each against its own \`setMany\` of the same values):

| phase | median | × its \`setMany\` |
| --- | --- | --- |
${rows.map(([label, key]) => `| ${label} | ${ms(median(phases[key]))} | ${x(r(phases[key]))} |`).join('\n')}
| the whole call | ${ms(whole)} | ${x(r(phases.whole))} |
| \`setMany\` of the same values (strict) | ${ms(median(phases.keyval))} | 1.00× |

Of the medians, the phases that wait on the storage sum to ${ms(side('storage'))} (the page issues its puts
during the first), the page's own to ${ms(side('page'))} (${((side('page') / (side('page') + side('storage'))) * 100).toFixed(0)}%): waiting on the storage alone is ${x(side('storage') / median(phases.keyval))} a \`setMany\` that only writes.

`;
}

/** Per round, the sum of `phases`' phases on one side ('page' or 'storage'). */
const sidePerRound = (phases, side) =>
  phases.whole.map((_, i) => ROTATION_PHASES.filter((row) => row[2] === side).reduce((sum, row) => sum + phases[row[1]][i], 0));

/**
 * The whole rotation minus the transaction alone, per round (both are timed in every round of the
 * breakdown, so a slow round hits both): for each phase and for each side's sum, the median
 * difference and its 90% bootstrap interval. Single phases moved by 0.2-0.5 ms between runs of
 * 25-30 rounds, so a side is only named where its interval and the other's do not overlap.
 */
function wholeMinusTransaction(whole, rewrite) {
  const of = (a, b) => ({ median: pairedDifference(a, b), interval: pairedDifferenceInterval(a, b) });
  return {
    phases: Object.fromEntries(ROTATION_PHASES.map(([, key]) => [key, of(whole[key], rewrite[key])])),
    whole: of(whole.whole, rewrite.whole),
    page: of(sidePerRound(whole, 'page'), sidePerRound(rewrite, 'page')),
    storage: of(sidePerRound(whole, 'storage'), sidePerRound(rewrite, 'storage')),
  };
}

/** A difference with its interval: "+0.510 ms (+0.370 ms to +0.620 ms)". */
const withInterval = ({ median: value, interval: [low, high] }) => `${signed(value)} (${signed(low)} to ${signed(high)})`;

/**
 * Where the whole 10-value rotation spends more than the transaction alone (the breakdown's
 * `rewrite`, the same requests with no vault around them), phase by phase, from the breakdown's
 * timestamps of both (same rounds). Returns '' when the run has none.
 */
function wholeAgainstTransactionText(rb) {
  const { whole, rewrite } = rb.phases ?? {};
  if (!whole?.whole?.length || !rewrite?.whole?.length) return '';
  const d = wholeMinusTransaction(whole, rewrite);
  const above = (a, b) => a.interval[0] > b.interval[1];
  // A side told apart from no difference at all, even where the whole call is not.
  const apart = [
    ['the page', d.page],
    ['the storage', d.storage],
  ].filter(([, side]) => side.interval[0] > 0 || side.interval[1] < 0);
  const sidesApart = apart.length
    ? `; still, ${apart.map(([name, side]) => `${name}'s phases took ${side.median > 0 ? 'longer' : 'less'} (their interval is ${side.median > 0 ? 'above' : 'below'} 0)`).join(', and ')}`
    : '; nor is either side (both intervals hold 0)';
  const reading =
    d.whole.interval[0] <= 0
      ? `in these rounds the whole call is not told apart from the transaction alone (the interval of its difference holds 0)${sidesApart}`
      : above(d.storage, d.page)
        ? "most of the difference is the storage taking longer over the vault's transaction than over the same requests made with no vault around them (another database, the vault's own meta and records), not JavaScript the vault runs"
        : above(d.page, d.storage)
          ? "most of the difference is the vault's own JavaScript around the transaction"
          : "this run does not tell which side holds most of the difference: the two sides' intervals overlap";
  return `
Where the whole rotation spends more than that transaction alone, by the same timestamps taken around both in
the breakdown's rounds above (\`rotation-phases.ts\`; ${whole.whole.length} rounds, each timing both): medians of each, and
the median of the per-round differences with its 90% bootstrap interval (\`pairedDifferenceInterval\`
in \`bench/lib/stats.mjs\`: how far another draw of as many rounds could move it):

| phase | the whole rotation | the transaction alone | difference per round (90% interval) |
| --- | --- | --- | --- |
${ROTATION_PHASES.map(([, key, side, label]) => `| ${label} (${side === 'page' ? "the page's work" : 'a wait on the storage'}) | ${ms(median(whole[key]))} | ${ms(median(rewrite[key]))} | ${withInterval(d.phases[key])} |`).join('\n')}
| the whole call | ${ms(median(whole.whole))} | ${ms(median(rewrite.whole))} | ${withInterval(d.whole)} |

Summed per round, the page's own phases (the vault's queue, its new data key, the cache and the events)
differ by ${withInterval(d.page)}; the storage's by ${withInterval(d.storage)}: ${reading}.
`;
}

/**
 * What the whole rotation adds to the transaction alone, as parts of the verdict's "rest" (ratios
 * to the breakdown's setMany): at 10 values split by the timestamps into the page's own work and
 * the storage's longer waits, else one part.
 */
function aroundTransaction(rb, r, x, onePart) {
  const total = r(rb.whole) - r(rb.rewrite);
  const { whole, rewrite } = rb.phases ?? {};
  // Only one part's phases partition the call into the page's work and storage waits: with parts,
  // the page re-encrypts while the storage reads.
  if (!onePart || !whole?.whole?.length || !rewrite?.whole?.length) return [[`the whole rotation's time above the transaction alone, ${x(total)}`, total]];
  const base = median(rb.keyval);
  // The medians only: the table below gives their intervals.
  const gap = (side) => pairedDifference(sidePerRound(whole, side), sidePerRound(rewrite, side)) / base;
  const page = gap('page');
  const storage = gap('storage');
  return [
    [`the vault's own JavaScript around the transaction, about ${x(page)} (by the timestamps below)`, page],
    [
      `the storage taking longer over the vault's transaction than over the same requests with no vault around them, about ${x(storage)} (by the timestamps below)`,
      storage,
    ],
  ];
}

/**
 * The figure of `n` values against its floor timed in its own rounds (bench/page/rotation-floor.ts:
 * the one transaction and its crypto, no vault around it): the sentence that gives both, and the
 * verdict it supports. `undefined` for a run without the floor side.
 */
function againstSameRoundFloor(samples, n) {
  const floor = samples[`floor:${n}`];
  if (!floor?.length) return undefined;
  const vault = samples[`vault:${n}`];
  const keyval = samples[`keyval:${n}`];
  const floorRatio = pairedRatio(floor, keyval);
  const [low] = pairedRatioInterval(floor, keyval);
  const over = timesWithInterval(pairedRatio(vault, floor), pairedRatioInterval(vault, floor));
  const given = `In the figure's own rounds its floor (the same work with no vault around it: a new data key, the device key and its wrap, the values sealed or re-encrypted, and ONE strict transaction through \`IndexedDbStore.rewrite\` that checks every record it overwrites; \`bench/page/rotation-floor.ts\`) took ${timesWithInterval(floorRatio, pairedRatioInterval(floor, keyval))} \`setMany\`, and the rotation ${over} its floor.`;
  const verdict = !Number.isFinite(low)
    ? floorRatio > 1.5
      ? `The floor alone is above ≤ 1.5× in this run (one round: no interval).`
      : `The floor meets ≤ 1.5× in this run (one round: no interval): the miss is what the vault adds around the same work.`
    : low > 1.5
      ? `The floor alone is above ≤ 1.5× over its whole interval: no cut in the vault's own work can meet the target in this run while a rotation makes a new key, checks every record it overwrites and commits strictly in one transaction.`
      : floorRatio > 1.5
        ? `The floor alone is above ≤ 1.5× at its median (its interval reaches below): in this run the target could at best be met at the floor's edge.`
        : `The floor meets ≤ 1.5× in these rounds: the miss is what the vault adds around the same work.`;
  return { given, verdict, floorMeets: floorRatio <= 1.5 };
}

/**
 * The 10,000-value figure: not broken down (each step would take seconds a round, seven steps a
 * round); it runs the 1,000-value rotation's parts over ten times the records, so it is judged
 * against that breakdown.
 */
function tenThousand(figure, figureAtThousand, large, x, sameRounds) {
  const head = `At 10,000 values the steps are not timed apart (each would take seconds a round); the rotation there is the 1,000-value one over ten times the records, in parts of 256.`;
  if (figure <= 1.5) return `${head} The figure (${x(figure)}) meets ≤ 1.5×.`;
  if (sameRounds) return `${head} It misses at ${x(figure)} (1,000 values: ${x(figureAtThousand)}, same run). ${sameRounds.given} ${sameRounds.verdict}`;
  const checked = large.r(large.rb.checked);
  const bound =
    checked > 1.5
      ? `at 1,000 values the same transaction with no crypto at all was ${x(checked)}, above ≤ 1.5×`
      : `at 1,000 values the same transaction with no crypto was ${x(checked)}: the breakdown there does not show this miss to be the floor`;
  return `${head} It misses at ${x(figure)} (1,000 values: ${x(figureAtThousand)}, same run); ${bound}.`;
}

export function rotation(run) {
  const { rotation: samples, rotationBreakdown, rotationBreakdownSmall } = run.browser;
  const x = (value) => `${value.toFixed(2)}×`;
  const figureAt = (n) => pairedRatio(samples[`vault:${n}`], samples[`keyval:${n}`]);
  const line = [10, 1000, 10000].map((n) => `${n.toLocaleString('en')}: ${x(figureAt(n))}`).join(', ');
  // What a rotation cannot skip: seal every value under the new key, and read (to check) and write
  // every record in one strict transaction (the write alone is what setMany does, plus the meta and
  // its guard). Up to EARLY_MAX values held, the seal comes before the transaction, which puts with
  // its reads; a larger vault re-encrypts on the page beside the storage, which reads and writes in turn.
  const steps = (rb) => {
    const r = (values) => pairedRatio(values, rb.keyval);
    return { rb, r, cell: (key) => `${ms(median(rb[key]))} | ${x(r(rb[key]))}` };
  };
  const small = steps(rotationBreakdownSmall);
  const large = steps(rotationBreakdown);
  const verdict = ({ r, rb }, count, onePart, figureKeyval, figure, sameRounds) => {
    // The table's steps and the figure's sides each follow the same setup, but in other rounds of
    // the page. Where the two setMany medians still differ, the same transaction's time is also
    // given against the figure's.
    const figureBase = median(figureKeyval);
    const againstFigure = (values) => median(values) / figureBase;
    const baseGap = median(rb.keyval) / figureBase;
    // With the floor timed in the figure's own rounds, the verdict rests on it, and the table's
    // ratios only say where the time goes inside it.
    const cross =
      !sameRounds && Math.abs(baseGap - 1) > 0.1
        ? ` Here \`setMany\` took ${ms(median(rb.keyval))} against ${ms(figureBase)} in the figure's own rounds: in these rounds it ran ${baseGap > 1 ? 'slower' : 'faster'}, which moves every ratio of this column. Against the figure's \`setMany\` (a ratio of medians across the two interleavings), the transaction as the rotation runs it is ${x(againstFigure(rb.rewrite))} and the whole rotation ${x(againstFigure(rb.whole))}.`
        : '';
    const floorText = onePart
      ? `the rotation seals the values it holds (${x(r(rb.crypto))}) before ONE transaction that reads every record and puts the sealed copies at once, then commits once the reads answered and matched; that transaction alone, with no crypto, is ${x(r(rb.checked))} (the write alone ${x(r(rb.write))}, a read alone ${x(r(rb.read))}): ${x(r(rb.crypto) + r(rb.checked))} in sequence`
      : `the write alone is ${x(r(rb.write))} \`setMany\`; the storage reads every value (${x(r(rb.read))}) in the same transaction, before the puts in its queue, while the page re-encrypts (${x(r(rb.crypto))}) beside it, part by part: read and write ${x(r(rb.read) + r(rb.write))} in sequence, or ${x(r(rb.checked))} as one transaction with no crypto`;
    const head = `At ${count} values ${floorText}. The transaction as the rotation runs it, with no vault around it, is ${x(r(rb.rewrite))}; the whole rotation ${x(r(rb.whole))}, ${x(Math.abs(r(rb.whole) - r(rb.rewrite)))} ${r(rb.whole) >= r(rb.rewrite) ? 'more' : 'less'}${onePart && rb.phases ? ' (where: below)' : ''}.${cross}`;
    // The floor: what any rotation must do here — seal every value under the new key, and read
    // (to check) and write every record in one strict transaction — measured alone.
    const floor = onePart ? Math.min(r(rb.crypto) + r(rb.checked), r(rb.rewrite)) : Math.min(r(rb.read) + r(rb.write), r(rb.checked), r(rb.rewrite));
    if (figure <= 1.5) return `${head} The figure (${x(figure)}) meets ≤ 1.5×.`;
    if (sameRounds) {
      const where = sameRounds.floorMeets && onePart && rb.phases ? ' Where the vault spends it: the timestamps below.' : '';
      return `${head} ${sameRounds.given} ${sameRounds.verdict}${where}`;
    }
    if (r(rb.checked) > 1.5)
      return `${head} ≤ 1.5× cannot be met at this size by any rotation that checks every record it overwrites, with a strict commit: that transaction alone, with no crypto at all, is ${x(r(rb.checked))}.`;
    if (floor > 1.5)
      return `${head} ≤ 1.5× cannot be met at this size while a rotation seals every value and reads and writes every record with a strict commit: those steps alone are at least ${x(floor)} (the floor).`;
    // The one transaction, with no vault around it, against the figure's own baseline: the floor of this design.
    if (cross && againstFigure(rb.rewrite) > 1.5)
      return `${head} So at this size the one transaction alone, with no vault around it, is already above ≤ 1.5× of the figure's baseline: the floor of a rotation that reads, re-encrypts and writes every value in one strict transaction.`;
    // Missed although the floor is below the target: say which measured part holds the rest. The
    // table's ratios are against its own setMany; each part is put in the figure's terms (× baseGap),
    // and where the figure's setMany ran faster than the table's, that difference is a part too.
    const parts = [
      [
        `the transaction's own waits, ${x(r(rb.rewrite) - floor)} above the floor (the page's re-encryption and puts and the storage's writes do not fully overlap)`,
        (r(rb.rewrite) - floor) * baseGap,
      ],
      ...aroundTransaction(rb, r, x, onePart).map(([label, value]) => [label, value * baseGap]),
      [`the baseline: the figure's \`setMany\` ran faster than the table's, so the same floor reads ${x(floor * baseGap)} against it`, floor * (baseGap - 1)],
    ];
    const larger = parts.reduce((a, b) => (b[1] > a[1] ? b : a))[0];
    return `${head} The figure misses at ${x(figure)} against a floor of ${x(floor)}; the largest part of the rest is ${larger}.`;
  };
  return `### Data-key rotation

Against \`setMany\` of the same values (${line}). A rotation must read every value, open and seal
each under the new key, and write them all with the new wraps, and no write of another tab may
fall in between (\`src/core/key-rotation.ts\`). On the web all of it is ONE strict IndexedDB
transaction (\`IndexedDbStore.rewrite\`, \`src/web/rewrite-transaction.ts\`): the meta guard, the
device key and the values are read in it. Up to 256 values the tab holds (it wrote or read them;
\`src/core/known-values.ts\`) are sealed under the new key before the transaction, which puts them
right after issuing its reads, and stands by each only where the record read has the fingerprint
the value was cached with (any other record is re-encrypted and put over it). Otherwise the values
are read in parts of 256 (the first with its own keys), each part re-encrypted as it arrives and
put as soon as it is sealed, the transaction kept open meanwhile by its own requests. The meta
with the new wraps is written once every record was read, and the transaction commits once
everything is issued. Other tabs' writes wait for it.
The timed change turns the passcode off, so the rotation also stores a new device key (setting the
passcode deleted the old one), in the same transaction; that key and the wrap under it are made
before the reads answer (used when the transaction finds no device key), so the meta is ready
before the last part is sealed. Each step timed alone, interleaved with
\`setMany\` of the same values, same run, and each right after the figure's untimed setup (the
passcode set again), as the figure's two sides are (\`rotationBreakdown\` in \`bench/page/rotation-figures.ts\`):

| step | 10 values | vs setMany | 1,000 values | vs setMany |
| --- | --- | --- | --- | --- |
| \`setMany\` of the same values (strict) | ${ms(median(small.rb.keyval))} | 1.00× | ${ms(median(large.rb.keyval))} | 1.00× |
| read every value record (one readonly transaction) | ${small.cell('read')} | ${large.cell('read')} |
| AES-GCM: at 10, seal of each value held, all at once (before the transaction); at 1,000, open + seal of each, 64 at a time | ${small.cell('crypto')} | ${large.cell('crypto')} |
| write every record + meta (one guarded strict transaction) | ${small.cell('write')} | ${large.cell('write')} |
| read and put every record in one transaction, all at once, the meta and a new device key once the reads answered; no crypto | ${small.cell('checked')} | ${large.cell('checked')} |
| all of it in one transaction, as the rotation runs it, with the device key (wrap made before the reads answer) | ${small.cell('rewrite')} | ${large.cell('rewrite')} |
| the whole rotation (\`setPasscodeEnabled(false)\`) | ${small.cell('whole')} | ${large.cell('whole')} |

${verdict(small, 10, true, samples['keyval:10'], figureAt(10), againstSameRoundFloor(samples, 10))}
${verdict(large, '1,000', false, samples['keyval:1000'], figureAt(1000), againstSameRoundFloor(samples, 1000))}
${tenThousand(figureAt(10000), figureAt(1000), large, x, againstSameRoundFloor(samples, 10000))}
${wholeAgainstTransactionText(small.rb)}${rotationPhasesText(run.browser.rotationPhases, x)}${mirrorText(run.browser.rotationMirror, x)}Before issue 16 a rotation took a relaxed *mark* commit first (so other tabs' writes failed meanwhile),
a strict write of the new device key of its own, and a read of the device key after its commit;
the one transaction needs none of them: nothing can be written between its read and its write, and
the device key it reads or stores cannot be deleted under it (the web deletes an unused device key
in one transaction with its look at every vault's meta, \`IndexedDbDeviceKey.deleteUnlessUsed\`).`;
}
