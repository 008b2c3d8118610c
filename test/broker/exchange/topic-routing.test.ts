import { describe, expect, it } from 'vitest';
import type { FieldTable } from '../../../src/codec/field-table.js';
import { TopicRouting, topicWords } from '../../../src/broker/exchange/topic-routing.js';
import { Random } from '../../support/random.js';

function route<D>(rt: TopicRouting<D>, key: string): D[] {
  const out = new Set<D>();
  rt.route(key, undefined, out);
  return [...out];
}

function routeNames(rt: TopicRouting<string>, key: string): string[] {
  return route(rt, key).sort(byName);
}

/** Destinations sorted by code unit ('#' < '*' < '.' < 'a'). */
function plain(rt: TopicRouting<string>, key: string): string[] {
  return route(rt, key).sort();
}

/** t1 < t2 < t10, as RabbitMQ's test lists them. */
function byName(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * An independent matcher: dynamic programming over (pattern word, key word) with the same word
 * split. m[i][j] = pattern words i.. match key words j..
 */
function referenceMatch(pattern: string, key: string): boolean {
  const p = pattern === '' ? [] : pattern.split('.');
  const k = key === '' ? [] : key.split('.');
  const m: boolean[][] = Array.from({ length: p.length + 1 }, () => new Array<boolean>(k.length + 1).fill(false));
  m[p.length][k.length] = true;
  for (let i = p.length - 1; i >= 0; i--) {
    for (let j = k.length; j >= 0; j--) {
      if (p[i] === '#') m[i][j] = m[i + 1][j] || (j < k.length && m[i][j + 1]);
      else m[i][j] = j < k.length && (p[i] === '*' || p[i] === k[j]) && m[i + 1][j + 1];
    }
  }
  return m[0][0];
}

describe('topicWords', () => {
  it('splits like rabbit_db_topic_exchange:split_topic_key_binary/1', () => {
    expect(topicWords('')).toEqual([]);
    expect(topicWords('a')).toEqual(['a']);
    expect(topicWords('.')).toEqual(['', '']);
    expect(topicWords('a..b')).toEqual(['a', '', 'b']);
    expect(topicWords('.a.')).toEqual(['', 'a', '']);
  });
});

describe('topic routing: RabbitMQ routing_SUITE topic1 table', () => {
  const bindings: [string, string, FieldTable][] = [
    ['a.b.c', 't1', []], ['a.*.c', 't2', []], ['a.#.b', 't3', []], ['a.b.b.c', 't4', []], ['#', 't5', []],
    ['#.#', 't6', []], ['#.b', 't7', []], ['*.*', 't8', []], ['a.*', 't9', []], ['*.b.c', 't10', []],
    ['a.#', 't11', []], ['a.#.#', 't12', []], ['b.b.c', 't13', []], ['a.b.b', 't14', []], ['a.b', 't15', []],
    ['b.c', 't16', []], ['', 't17', []], ['*.*.*', 't18', []], ['vodka.martini', 't19', []], ['a.b.c', 't20', []],
    ['*.#', 't21', []], ['#.*.#', 't22', []], ['*.#.#', 't23', []], ['*', 't25', []], ['#.b.#', 't26', []],
    ['args-test', 't27', [{ name: 'foo', value: { type: 'S', value: Buffer.from('bar') } }]],
    ['args-test', 't27', [{ name: 'foo', value: { type: 'S', value: Buffer.from('baz') } }]],
  ];
  const before: [string, string[]][] = [
    ['a.b.c', ['t1', 't2', 't5', 't6', 't10', 't11', 't12', 't18', 't20', 't21', 't22', 't23', 't26']],
    ['a.b', ['t3', 't5', 't6', 't7', 't8', 't9', 't11', 't12', 't15', 't21', 't22', 't23', 't26']],
    ['a.b.b', ['t3', 't5', 't6', 't7', 't11', 't12', 't14', 't18', 't21', 't22', 't23', 't26']],
    ['', ['t5', 't6', 't17']],
    ['b.c.c', ['t5', 't6', 't18', 't21', 't22', 't23', 't26']],
    ['a.a.a.a.a', ['t5', 't6', 't11', 't12', 't21', 't22', 't23']],
    ['vodka.gin', ['t5', 't6', 't8', 't21', 't22', 't23']],
    ['vodka.martini', ['t5', 't6', 't8', 't19', 't21', 't22', 't23']],
    ['b.b.c', ['t5', 't6', 't10', 't13', 't18', 't21', 't22', 't23', 't26']],
    ['nothing.here.at.all', ['t5', 't6', 't21', 't22', 't23']],
    ['oneword', ['t5', 't6', 't21', 't22', 't23', 't25']],
    ['args-test', ['t5', 't6', 't21', 't22', 't23', 't25', 't27']],
  ];
  const after: [string, string[]][] = [
    ['a.b.c', ['t2', 't6', 't10', 't12', 't18', 't20', 't22', 't23', 't26']],
    ['a.b', ['t3', 't6', 't7', 't8', 't9', 't12', 't15', 't22', 't23', 't26']],
    ['a.b.b', ['t3', 't6', 't7', 't12', 't14', 't18', 't22', 't23', 't26']],
    ['', ['t6', 't17']],
    ['b.c.c', ['t6', 't18', 't22', 't23', 't26']],
    ['a.a.a.a.a', ['t6', 't12', 't22', 't23']],
    ['vodka.gin', ['t6', 't8', 't22', 't23']],
    ['vodka.martini', ['t6', 't8', 't22', 't23']],
    ['b.b.c', ['t6', 't10', 't13', 't18', 't22', 't23', 't26']],
    ['nothing.here.at.all', ['t6', 't22', 't23']],
    ['oneword', ['t6', 't22', 't23', 't25']],
    ['args-test', ['t6', 't22', 't23', 't25', 't27']],
  ];

  it('matches, and still matches after removing bindings 1, 5, 11, 19, 21 and 27', () => {
    const rt = new TopicRouting<string>();
    for (const [key, q, args] of bindings) expect(rt.bind(q, key, args)).toBe(true);
    expect(rt.size).toBe(27);
    for (const [key, expected] of before) expect(routeNames(rt, key), key).toEqual(expected);
    for (const n of [1, 5, 11, 19, 21, 27]) {
      const [key, q, args] = bindings[n - 1];
      expect(rt.unbind(q, key, args)).toBe(true);
    }
    expect(rt.size).toBe(21);
    // t27 still routes through its other binding (foo=baz): the aliasing case
    for (const [key, expected] of after) expect(routeNames(rt, key), key).toEqual(expected);
    for (const q of new Set(bindings.map((b) => b[1]))) rt.removeDestination(q);
    expect(rt.size).toBe(0);
    for (const key of ['a.b.c', 'b.b.c', '']) expect(routeNames(rt, key)).toEqual([]);
  });
});

describe('topic routing: rabbit_db_topic_exchange_SUITE cases', () => {
  it('single-level and multi-level wildcards', () => {
    const rt = new TopicRouting<string>();
    rt.bind('q-star', 'foo.*', []);
    rt.bind('q-hash', 'foo.#', []);
    rt.bind('q-exact', 'foo.bar', []);
    rt.bind('q-deep', 'foo.*.baz', []);
    rt.bind('q-all', '#', []);
    expect(routeNames(rt, 'foo.bar')).toEqual(['q-all', 'q-exact', 'q-hash', 'q-star']);
    expect(routeNames(rt, 'foo.bar.baz')).toEqual(['q-all', 'q-deep', 'q-hash']);
    expect(routeNames(rt, 'foo.bar.baz.qux')).toEqual(['q-all', 'q-hash']);
    expect(routeNames(rt, 'foo.qux')).toEqual(['q-all', 'q-hash', 'q-star']);
    expect(routeNames(rt, 'bar.foo')).toEqual(['q-all']);
  });

  it("'#' at the start and in the middle", () => {
    const rt = new TopicRouting<string>();
    rt.bind('q1', '#.c', []);
    rt.bind('q2', '#.b.c', []);
    rt.bind('q3', 'a.#.d', []);
    rt.bind('q4', '#.*.#', []);
    expect(routeNames(rt, 'a.b.c')).toEqual(['q1', 'q2', 'q4']);
    expect(routeNames(rt, 'c')).toEqual(['q1', 'q4']);
    expect(routeNames(rt, 'x.y.b.c')).toEqual(['q1', 'q2', 'q4']);
    expect(routeNames(rt, 'a.d')).toEqual(['q3', 'q4']);
    expect(routeNames(rt, 'a.b.c.d')).toEqual(['q3', 'q4']);
    expect(routeNames(rt, 'x')).toEqual(['q4']);
    expect(routeNames(rt, 'x.c')).toEqual(['q1', 'q4']);
  });

  it("the empty routing key matches only '#' (and '')", () => {
    const rt = new TopicRouting<string>();
    rt.bind('q-hash', '#', []);
    rt.bind('q-exact', 'foo.bar', []);
    expect(routeNames(rt, '')).toEqual(['q-hash']);
    expect(routeNames(rt, 'foo.bar')).toEqual(['q-exact', 'q-hash']);
  });

  const T = 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z';

  it('a deep hierarchy', () => {
    const rt = new TopicRouting<string>();
    rt.bind('q-all', '#', []);
    rt.bind('q-prefix', `${T}.#`, []);
    rt.bind('q-prefix-star', `${T}.*`, []);
    expect(routeNames(rt, T)).toEqual(['q-all', 'q-prefix']);
    expect(routeNames(rt, `${T}.1`)).toEqual(['q-all', 'q-prefix', 'q-prefix-star']);
  });

  it("26 '*' then '#', and alternating literals and '*'", () => {
    const rt = new TopicRouting<string>();
    rt.bind('q-wild', `${'*.'.repeat(26)}#`, []);
    rt.bind('q-alt', 'a.*.c.*.e.*.g.*.i.*.k.*.m.*.o.*.q.*.s.*.u.*.w.*.y.*.#', []);
    expect(routeNames(rt, T)).toEqual(['q-alt', 'q-wild']);
  });

  it("15 '#' against 31 words (C(46,15) paths without memoisation)", () => {
    const rt = new TopicRouting<string>();
    rt.bind('q-many', Array(15).fill('#').join('.'), []);
    expect(routeNames(rt, Array(31).fill('a').join('.'))).toEqual(['q-many']);
  });

  it('overlapping filters', () => {
    const rt = new TopicRouting<string>();
    const keys = ['a.b', 'a.b.#', 'a.b.c', 'a.b.*', 'a.b.d', 'a.*.*', 'a.*.#', '*.b.c'];
    keys.forEach((k, i) => rt.bind(`q${i + 1}`, k, []));
    expect(routeNames(rt, 'a.b.c')).toEqual(['q2', 'q3', 'q4', 'q6', 'q7', 'q8']);
    expect(routeNames(rt, 'a.b')).toEqual(['q1', 'q2', 'q7']);
  });

  it('empty segments', () => {
    const rt = new TopicRouting<string>();
    rt.bind('q-hash', '.#', []);
    rt.bind('q-star', '.*', []);
    rt.bind('q-deep', '.*.a.b.c', []);
    expect(routeNames(rt, '.0.a.b.c')).toEqual(['q-deep', 'q-hash']);
  });

  it('unicode words', () => {
    const rt = new TopicRouting<string>();
    rt.bind('q-cjk', '传感器.温度.摄氏', []);
    rt.bind('q-emoji', '🏠.🌡️.📊', []);
    rt.bind('q-cyrillic', 'датчик.температура.цельсий', []);
    rt.bind('q-mixed', 'sensor.données.état', []);
    rt.bind('q-wild', '传感器.*.摄氏', []);
    rt.bind('q-hash', 'датчик.#', []);
    rt.bind('q-all', '#', []);
    expect(routeNames(rt, '传感器.温度.摄氏')).toEqual(['q-all', 'q-cjk', 'q-wild']);
    expect(routeNames(rt, '🏠.🌡️.📊')).toEqual(['q-all', 'q-emoji']);
    expect(routeNames(rt, 'датчик.температура.цельсий')).toEqual(['q-all', 'q-cyrillic', 'q-hash']);
    expect(routeNames(rt, 'sensor.données.état')).toEqual(['q-all', 'q-mixed']);
    expect(routeNames(rt, '传感器.压力.摄氏')).toEqual(['q-all', 'q-wild']);
    expect(routeNames(rt, 'датчик.давление')).toEqual(['q-all', 'q-hash']);
  });

  it('500 destinations on one key', () => {
    const rt = new TopicRouting<number>();
    for (let i = 0; i < 500; i++) rt.bind(i, 'events.user.login', []);
    expect(route(rt, 'events.user.login').length).toBe(500);
  });
});

/**
 * Edge cases measured on a real broker (RabbitMQ 3.10.8 on 127.0.0.1, one queue per binding key,
 * one message per routing key, via amqplib). The topic matching code (split and trie walk) is the
 * same in 4.x. Each row: binding key → the routing keys, in this order, that reached its queue.
 */
const ROUTING_KEYS = ['', '.', '..', 'a', 'a.', '.a', 'a..b', 'a.b', 'a.x.b', 'a.b.c', 'a.x.y.b', 'b', '*', '#',
  'a.*', 'a#', 'x.a', 'a.a', 'a.b.a', '...', 'a.a.a'];
const MEASURED: [string, string[]][] = [
  ["", [""]],
  ["#", ["",".","..","a","a.",".a","a..b","a.b","a.x.b","a.b.c","a.x.y.b","b","*","#","a.*","a#","x.a","a.a","a.b.a","...","a.a.a"]],
  ["*", ["a","b","*","#","a#"]],
  ["#.#", ["",".","..","a","a.",".a","a..b","a.b","a.x.b","a.b.c","a.x.y.b","b","*","#","a.*","a#","x.a","a.a","a.b.a","...","a.a.a"]],
  ["*.*", [".","a.",".a","a.b","a.*","x.a","a.a"]],
  [".", ["."]],
  ["..", [".."]],
  ["a", ["a"]],
  ["a.", ["a."]],
  [".a", [".a"]],
  ["a..b", ["a..b"]],
  ["a.*.b", ["a..b","a.x.b"]],
  ["a.#.b", ["a..b","a.b","a.x.b","a.x.y.b"]],
  ["#.a", ["a",".a","x.a","a.a","a.b.a","a.a.a"]],
  ["a.#", ["a","a.","a..b","a.b","a.x.b","a.b.c","a.x.y.b","a.*","a.a","a.b.a","a.a.a"]],
  ["*.#", [".","..","a","a.",".a","a..b","a.b","a.x.b","a.b.c","a.x.y.b","b","*","#","a.*","a#","x.a","a.a","a.b.a","...","a.a.a"]],
  ["#.*", [".","..","a","a.",".a","a..b","a.b","a.x.b","a.b.c","a.x.y.b","b","*","#","a.*","a#","x.a","a.a","a.b.a","...","a.a.a"]],
  ["#.*.#", [".","..","a","a.",".a","a..b","a.b","a.x.b","a.b.c","a.x.y.b","b","*","#","a.*","a#","x.a","a.a","a.b.a","...","a.a.a"]],
  ["*.*.*", ["..","a..b","a.x.b","a.b.c","a.b.a","a.a.a"]],
  ["a#", ["a#"]],
  ["a.*", ["a.","a.b","a.*","a.a"]],
  ["*.a", [".a","x.a","a.a"]],
  ["#.", [".","..","a.","..."]],
  [".#", [".","..",".a","..."]],
  ["*.", [".","a."]],
  [".*", [".",".a"]],
  ["#..#", [".","..","a.",".a","a..b","..."]],
  ["a.#.#.b", ["a..b","a.b","a.x.b","a.x.y.b"]],
  ["#.#.a", ["a",".a","x.a","a.a","a.b.a","a.a.a"]],
  ["#.#.#", ["",".","..","a","a.",".a","a..b","a.b","a.x.b","a.b.c","a.x.y.b","b","*","#","a.*","a#","x.a","a.a","a.b.a","...","a.a.a"]],
  ["*.#.*", [".","..","a.",".a","a..b","a.b","a.x.b","a.b.c","a.x.y.b","a.*","x.a","a.a","a.b.a","...","a.a.a"]],
];

describe('topic routing: edge cases measured against RabbitMQ', () => {
  it('routes every measured pair as RabbitMQ did', () => {
    const rt = new TopicRouting<string>();
    for (const [binding] of MEASURED) rt.bind(binding, binding, []);
    const got = new Map<string, string[]>(MEASURED.map(([b]) => [b, []]));
    for (const key of ROUTING_KEYS) for (const b of route(rt, key)) got.get(b)!.push(key);
    for (const [binding, expected] of MEASURED) expect(got.get(binding), `binding ${JSON.stringify(binding)}`).toEqual(expected);
  });

  it('spells out the empty-word rules', () => {
    const rt = new TopicRouting<string>();
    for (const b of ['', '#', '*', '*.*', '.', 'a..b', '#.', '*.']) rt.bind(b, b, []);
    expect(plain(rt, '')).toEqual(['', '#']); // '' has no words: '*' needs one
    expect(plain(rt, '.')).toEqual(['#', '#.', '*.', '*.*', '.']); // two empty words
    expect(plain(rt, 'a..b')).toEqual(['#', 'a..b']);
    expect(plain(rt, 'a.')).toEqual(['#', '#.', '*.', '*.*']);
    // '*' and '#' are wildcards only as whole words; in a routing key they are plain words
    rt.bind('a#', 'a#', []);
    expect(plain(rt, 'a#')).toEqual(['#', '*', 'a#']);
    expect(plain(rt, 'ab')).toEqual(['#', '*']);
  });
});

describe('topic routing: properties', () => {
  const PATTERN_WORDS = ['a', 'b', '', '*', '#', '#', '*'];
  const KEY_WORDS = ['a', 'b', '', 'c', '*', '#'];
  const randomKey = (r: Random, words: string[], max: number): string => {
    const n = r.int(max + 1);
    // n = 0 gives '' (no words); a single '' word cannot be written, as in RabbitMQ
    return Array.from({ length: n }, () => r.pick(words)).join('.');
  };

  it('agrees with a reference matcher on thousands of seeded random patterns and keys, through binds and unbinds', () => {
    const r = new Random(0x7091c);
    let matched = 0;
    let pairs = 0;
    for (let round = 0; round < 20; round++) {
      const rt = new TopicRouting<number>();
      const patterns: (string | null)[] = [];
      for (let i = 0; i < 150; i++) {
        const p = randomKey(r, PATTERN_WORDS, 6);
        patterns.push(p);
        rt.bind(i, p, []);
      }
      const check = (): void => {
        for (let n = 0; n < 150; n++) {
          const key = randomKey(r, KEY_WORDS, 8);
          const got = route(rt, key).sort((x, y) => x - y);
          const want = patterns.flatMap((p, i) => (p !== null && referenceMatch(p, key) ? [i] : []));
          expect(got, `key ${JSON.stringify(key)}`).toEqual(want);
          matched += want.length;
          pairs += patterns.filter((p) => p !== null).length;
        }
      };
      check();
      // unbind a third, move some destinations to new patterns, and check again (exercises pruning)
      for (let i = 0; i < patterns.length; i++) {
        const p = patterns[i];
        if (p === null || r.int(3) !== 0) continue;
        if (r.bool()) expect(rt.unbind(i, p, [])).toBe(true);
        else expect(rt.removeDestination(i)).toBe(1);
        patterns[i] = null;
        if (r.bool()) {
          patterns[i] = randomKey(r, PATTERN_WORDS, 6);
          rt.bind(i, patterns[i]!, []);
        }
      }
      expect(rt.size).toBe(patterns.filter((p) => p !== null).length);
      check();
    }
    // not vacuous: a fair share of the pairs match, and most do not
    expect(matched / pairs).toBeGreaterThan(0.05);
    expect(matched / pairs).toBeLessThan(0.5);
  });

  it('the reference matcher itself agrees with the measured RabbitMQ rows', () => {
    for (const [binding, expected] of MEASURED) {
      expect(ROUTING_KEYS.filter((k) => referenceMatch(binding, k)), binding).toEqual(expected);
    }
  });

  it("handles keys far longer than 255 bytes (CC/BCC routing keys are longstrs) with several '#'", () => {
    const rt = new TopicRouting<string>();
    rt.bind('q1', '#.#.#.x', []);
    rt.bind('q2', '#.a.#.a.#', []);
    rt.bind('q3', '*.#.*.#.*', []);
    const long = Array(2000).fill('a').join('.');
    expect(routeNames(rt, long)).toEqual(['q2', 'q3']);
    expect(routeNames(rt, `${long}.x`)).toEqual(['q1', 'q2', 'q3']);
    expect(routeNames(rt, 'a.a')).toEqual(['q2']);
    expect(routeNames(rt, 'x')).toEqual(['q1']);
  });

  it('is not confused by state left over from earlier routes', () => {
    const rt = new TopicRouting<string>();
    rt.bind('q', '#.#.b', []);
    for (let i = 0; i < 1000; i++) {
      const key = i % 2 === 0 ? 'a.a.b' : 'a.a.c';
      expect(routeNames(rt, key)).toEqual(i % 2 === 0 ? ['q'] : []);
    }
  });

  it('prunes the trie back to the root when every binding goes', () => {
    const rt = new TopicRouting<string>();
    const keys = ['a.b.c', 'a.*.c', 'a.#', '#.#.x', '', '*', 'a..b'];
    for (const k of keys) rt.bind('q1', k, []);
    for (const k of keys) rt.bind('q2', k, []);
    for (const k of keys) expect(rt.unbind('q1', k, [])).toBe(true);
    expect(rt.removeDestination('q2')).toBe(keys.length);
    const root = (rt as unknown as { root: { words: Map<string, unknown> | null; star: unknown; hash: unknown; group: unknown } }).root;
    expect(root.words?.size ?? 0).toBe(0);
    expect(root.star).toBeNull();
    expect(root.hash).toBeNull();
    expect(root.group).toBeNull();
  });
});
