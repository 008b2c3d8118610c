/** Broker code that looks inside field values copes with any nesting depth (no JS recursion). */
import { describe, expect, it } from 'vitest';
import { decodeTable, type FieldTable, type FieldValue } from '../../src/codec/field-table.js';
import { equivalentValues } from '../../src/broker/equivalence.js';
import { erlangTerm } from '../../src/broker/erlang-format.js';
import { fieldValuesMatch } from '../../src/broker/exchange/headers-routing.js';
import { deeplyNestedTable } from '../support/deep-nesting.js';

const deepValue = (depth: number, kind: 'F' | 'A' | 'mixed'): FieldValue =>
  (decodeTable(deeplyNestedTable(depth, kind)) as FieldTable)[0].value;

describe('deeply nested values in the broker', () => {
  it('erlangTerm prints the start of the term as ~p does and stops early', () => {
    expect(erlangTerm(deepValue(2, 'mixed'))).toBe('[{<<"n">>,array,[{longstr,<<"bottom">>}]}]');
    const text = erlangTerm(deepValue(100_000, 'F'));
    expect(text.startsWith('[{<<"n">>,table,[{<<"n">>,table,[')).toBe(true);
    expect(text.length).toBeLessThan(2048);
  });

  it('the headers exchange compares deep values', () => {
    expect(fieldValuesMatch(deepValue(100_000, 'mixed'), deepValue(100_000, 'mixed'))).toBe(true);
    expect(fieldValuesMatch(deepValue(100_000, 'mixed'), deepValue(99_999, 'mixed'))).toBe(false);
    expect(fieldValuesMatch(deepValue(100_000, 'F'), deepValue(100_000, 'A'))).toBe(false);
  });

  it('argument equivalence compares deep values', () => {
    expect(equivalentValues(deepValue(100_000, 'A'), deepValue(100_000, 'A'))).toBe(true);
    expect(equivalentValues(deepValue(100_000, 'A'), deepValue(100_001, 'A'))).toBe(false);
  });
});
