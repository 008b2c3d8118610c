/**
 * Topic: binding keys are dot-separated words where `*` matches exactly one word and `#` zero
 * or more. Bindings live in a trie of words with separate `*` and `#` branches; routing walks it
 * once per message. As in RabbitMQ, the empty key has no words (so `#` matches it and `*` does
 * not), and empty words between dots are words like any other.
 *
 * A `#` can match many spans of the key; (node, position) pairs already explored are skipped so
 * that keys like `#.#.#.a` cannot make routing exponential.
 */
import type { FieldTable } from '../../codec/field-table.js';
import { argumentsKey } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

interface Binding<D> {
  readonly destination: D;
  readonly routingKey: string;
  readonly args: FieldTable;
}

let nextNodeId = 0;

class TrieNode<D> {
  readonly id = nextNodeId++;
  readonly words = new Map<string, TrieNode<D>>();
  star: TrieNode<D> | null = null;
  hash: TrieNode<D> | null = null;
  /** Bindings that end here: destination → bindings by arguments key. */
  readonly ends = new Map<D, Map<string, Binding<D>>>();

  get empty(): boolean {
    return this.words.size === 0 && this.star === null && this.hash === null && this.ends.size === 0;
  }
}

/** RabbitMQ's split: '' is no words at all; otherwise split on every dot. */
export function topicWords(key: string): string[] {
  return key === '' ? [] : key.split('.');
}

export class TopicRouting<D> implements RoutingTable<D> {
  private readonly root = new TrieNode<D>();
  private readonly nodesOf = new Map<D, Set<TrieNode<D>>>();
  private count = 0;
  /** (node, position) pairs explored during the current route(); reused, never reallocated. */
  private readonly seen = new Set<number>();

  get size(): number {
    return this.count;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    let node = this.root;
    for (const w of topicWords(routingKey)) node = this.child(node, w);
    let bs = node.ends.get(destination);
    if (!bs) node.ends.set(destination, (bs = new Map()));
    const ak = argumentsKey(args);
    if (bs.has(ak)) return false;
    bs.set(ak, { destination, routingKey, args });
    let nodes = this.nodesOf.get(destination);
    if (!nodes) this.nodesOf.set(destination, (nodes = new Set()));
    nodes.add(node);
    this.count++;
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    const path: TrieNode<D>[] = [this.root];
    const words = topicWords(routingKey);
    for (const w of words) {
      const next = this.next(path[path.length - 1], w);
      if (next === null) return false;
      path.push(next);
    }
    const node = path[path.length - 1];
    const bs = node.ends.get(destination);
    if (!bs || !bs.delete(argumentsKey(args))) return false;
    this.count--;
    if (bs.size === 0) {
      node.ends.delete(destination);
      const nodes = this.nodesOf.get(destination) as Set<TrieNode<D>>;
      nodes.delete(node);
      if (nodes.size === 0) this.nodesOf.delete(destination);
    }
    this.prune(path, words);
    return true;
  }

  removeDestination(destination: D): number {
    const nodes = this.nodesOf.get(destination);
    if (!nodes) return 0;
    let removed = 0;
    for (const node of nodes) {
      removed += (node.ends.get(destination) as Map<string, Binding<D>>).size;
      node.ends.delete(destination);
    }
    this.nodesOf.delete(destination);
    this.count -= removed;
    // empty branches are left in place; they cost nothing when routing and are reused on rebind
    return removed;
  }

  route(routingKey: string, _headers: FieldTable | undefined, out: Set<D>): void {
    if (this.count === 0) return;
    const words = topicWords(routingKey);
    this.seen.clear();
    this.match(this.root, words, 0, out);
  }

  private match(node: TrieNode<D>, words: string[], i: number, out: Set<D>): void {
    const mark = node.id * 512 + i; // a key of 255 bytes has at most 256 words
    if (this.seen.has(mark)) return;
    this.seen.add(mark);
    if (i === words.length) {
      for (const d of node.ends.keys()) out.add(d);
    } else {
      const exact = node.words.get(words[i]);
      if (exact !== undefined) this.match(exact, words, i + 1, out);
      if (node.star !== null) this.match(node.star, words, i + 1, out);
    }
    if (node.hash !== null) {
      // '#' swallows words[i..j) for every j from i to the end
      for (let j = i; j <= words.length; j++) this.match(node.hash, words, j, out);
    }
  }

  hasDestination(destination: D): boolean {
    return this.nodesOf.has(destination);
  }

  *bindings(): IterableIterator<Binding<D>> {
    const stack: TrieNode<D>[] = [this.root];
    while (stack.length > 0) {
      const n = stack.pop() as TrieNode<D>;
      for (const bs of n.ends.values()) yield* bs.values();
      stack.push(...n.words.values());
      if (n.star) stack.push(n.star);
      if (n.hash) stack.push(n.hash);
    }
  }

  private child(node: TrieNode<D>, word: string): TrieNode<D> {
    if (word === '*') return (node.star ??= new TrieNode<D>());
    if (word === '#') return (node.hash ??= new TrieNode<D>());
    let c = node.words.get(word);
    if (!c) node.words.set(word, (c = new TrieNode<D>()));
    return c;
  }

  private next(node: TrieNode<D>, word: string): TrieNode<D> | null {
    if (word === '*') return node.star;
    if (word === '#') return node.hash;
    return node.words.get(word) ?? null;
  }

  /** Drops nodes left empty by an unbind, from the leaf up. */
  private prune(path: TrieNode<D>[], words: string[]): void {
    for (let i = path.length - 1; i > 0; i--) {
      if (!path[i].empty) return;
      const parent = path[i - 1];
      const w = words[i - 1];
      if (w === '*') parent.star = null;
      else if (w === '#') parent.hash = null;
      else parent.words.delete(w);
    }
  }
}
