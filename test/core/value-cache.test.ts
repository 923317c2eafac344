import { describe, expect, it } from 'vitest';
import { generateDataKey } from '../../src/core/envelope.js';
import { KnownValues } from '../../src/core/known-values.js';
import { ValueCache } from '../../src/core/value-cache.js';
import { openValue, recordFingerprint, sealValue } from '../../src/core/value-records.js';
import { testContext } from './vault-context.js';

describe('value cache and the values a rotation seals early', () => {
  it('a value cached without its record has no fingerprint, so it is never sealed early with an older one', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const record = await sealValue(ctx, key, 'a', '"one"');
    const cache = new ValueCache();
    cache.set('a', '"one"', recordFingerprint(record));
    cache.set('b', '"two"');
    expect(cache.sealed().map((value) => value.key)).toEqual(['a']);
    cache.set('a', '"changed"'); // no record: the old fingerprint must not pair with the new text
    expect(cache.sealed()).toEqual([]);
    expect(cache.get('a')).toBe('"changed"');
  });

  it('a fingerprint is the IV and the tag: equal for the same record, different for a reseal of the same value', async () => {
    const ctx = testContext();
    const key = await generateDataKey(ctx.platform.crypto);
    const record = await sealValue(ctx, key, 'a', '"one"');
    const again = await sealValue(ctx, key, 'a', '"one"');
    expect(recordFingerprint(record)).toHaveLength(28);
    expect(recordFingerprint({ ...record })).toEqual(recordFingerprint(record));
    expect(recordFingerprint(again)).not.toEqual(recordFingerprint(record));
    expect(recordFingerprint({ v: 1, iv: 'short', ct: 'x' })).toBeUndefined();
    expect(recordFingerprint({ nope: true })).toBeUndefined();
  });

  it('KnownValues seals each value under the new key, stands only for records with the cached fingerprint, and reports the new fingerprints', async () => {
    const ctx = testContext();
    const oldKey = await generateDataKey(ctx.platform.crypto);
    const newKey = await generateDataKey(ctx.platform.crypto);
    const a = await sealValue(ctx, oldKey, 'a', '"one"');
    const b = await sealValue(ctx, oldKey, 'b', '"two"');
    const bElsewhere = await sealValue(ctx, oldKey, 'b', '"two, written by another tab"');
    const cache = new ValueCache();
    cache.set('a', '"one"', recordFingerprint(a));
    cache.set('b', '"two"', recordFingerprint(b));
    cache.set('gone', '"three"', recordFingerprint(await sealValue(ctx, oldKey, 'gone', '"three"')));
    const known = new KnownValues(ctx, cache.sealed());
    const early = await known.seal(newKey);
    expect(early.map(([storeKey]) => storeKey)).toEqual([ctx.keys.value('a'), ctx.keys.value('b'), ctx.keys.value('gone')]);
    // Each early record opens under the new key to the value held.
    expect(await openValue(ctx, newKey, 'a', early[0]![1])).toBe('"one"');
    const unknown = await sealValue(ctx, oldKey, 'new', '"four"');
    const read = [
      [ctx.keys.value('a'), a],
      [ctx.keys.value('b'), bElsewhere],
      [ctx.keys.value('new'), unknown],
    ] as const;
    expect(known.notCovered(read).map(([storeKey]) => storeKey)).toEqual([ctx.keys.value('b'), ctx.keys.value('new')]);
    const outcome = known.outcome();
    expect(outcome.get('a')).toEqual(recordFingerprint(early[0]![1]));
    expect(outcome.get('b')).toBeUndefined();
    expect(outcome.get('gone')).toBeUndefined();
    cache.resealed(outcome);
    expect(cache.sealed()).toEqual([{ key: 'a', json: '"one"', sealedAs: recordFingerprint(early[0]![1]) }]);
    expect(cache.get('b')).toBeUndefined(); // not what storage holds: dropped
  });
});
