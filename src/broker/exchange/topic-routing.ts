/**
 * Topic exchange. Binding keys and routing keys are split into words at every '.'; in a binding
 * key the word '*' matches exactly one word and '#' matches zero or more. As in RabbitMQ
 * (rabbit_db_topic_exchange:split_topic_key_binary/1) the empty key has no words at all, and
 * otherwise every dot separates words, so empty words are real words: '.' is two empty words,
 * 'a..b' is three. Hence '#' matches '' while '*' does not, and '*' matches neither '' nor '.'.
 * '*' and '#' are wildcards only as whole words ('a#' is a literal word).
 *
 * Bindings live in a trie of words with separate '*' and '#' branches; routing walks it once
 * per message, as RabbitMQ does. With two or more '#' on a path, the same (node, position)
 * state can be reached along many paths (combinatorially many for keys like '#.#.#'), so those
 * states are remembered for the duration of one route() in a per-node bitset and skipped.
 */
import type { FieldTable } from '../../codec/field-table.js';
import { argumentsKey, BindingGroup, type Binding } from './binding-key.js';
import type { RoutingTable } from './routing-table.js';

const NO_WORDS: readonly string[] = Object.freeze([]);

/** The words of a topic key the way RabbitMQ splits it: '' has none, else split on every dot. */
export function topicWords(key: string): readonly string[] {
  return key === '' ? NO_WORDS : key.split('.');
}

class TopicNode<D> {
  /** Children by literal word; never holds '*' or '#', which have their own branches. */
  words: Map<string, TopicNode<D>> | null = null;
  star: TopicNode<D> | null = null;
  hash: TopicNode<D> | null = null;
  /** Bindings whose key ends at this node. */
  group: BindingGroup<D> | null = null;
  /** Number of '#' words on the path from the root to here; 2 or more means states can repeat. */
  readonly hashes: number;
  /** Positions already explored from this node in the route() whose number is memoEpoch. */
  memo: Uint32Array | null = null;
  memoEpoch = 0;

  constructor(
    readonly parent: TopicNode<D> | null,
    readonly word: string,
  ) {
    this.hashes = (parent?.hashes ?? 0) + (word === '#' && parent !== null ? 1 : 0);
  }

  get isEmpty(): boolean {
    return (this.group === null || this.group.size === 0) && (this.words === null || this.words.size === 0)
      && this.star === null && this.hash === null;
  }
}

/** Epochs stay small integers so V8 keeps them unboxed; on wrap-around every memo is reset. */
const MAX_EPOCH = 0x3fff_ffff;

export class TopicRouting<D> implements RoutingTable<D> {
  private readonly root = new TopicNode<D>(null, '');
  /** destination → the nodes holding its bindings, so removeDestination need not walk the trie. */
  private readonly nodesOf = new Map<D, Set<TopicNode<D>>>();
  private count = 0;
  private epoch = 0;

  get size(): number {
    return this.count;
  }

  bind(destination: D, routingKey: string, args: FieldTable): boolean {
    let node = this.root;
    for (const w of topicWords(routingKey)) node = this.childFor(node, w);
    node.group ??= new BindingGroup<D>();
    if (!node.group.add({ destination, routingKey, args }, argumentsKey(args))) return false;
    let nodes = this.nodesOf.get(destination);
    if (nodes === undefined) {
      nodes = new Set();
      this.nodesOf.set(destination, nodes);
    }
    nodes.add(node);
    this.count++;
    return true;
  }

  unbind(destination: D, routingKey: string, args: FieldTable): boolean {
    let node: TopicNode<D> | null = this.root;
    for (const w of topicWords(routingKey)) {
      node = w === '*' ? node.star : w === '#' ? node.hash : (node.words?.get(w) ?? null);
      if (node === null) return false;
    }
    if (node.group === null || !node.group.delete(destination, argumentsKey(args))) return false;
    this.count--;
    if (!node.group.has(destination)) {
      const nodes = this.nodesOf.get(destination);
      nodes?.delete(node);
      if (nodes?.size === 0) this.nodesOf.delete(destination);
    }
    this.prune(node);
    return true;
  }

  removeDestination(destination: D): number {
    const nodes = this.nodesOf.get(destination);
    if (nodes === undefined) return 0;
    this.nodesOf.delete(destination);
    let removed = 0;
    for (const node of nodes) {
      removed += node.group?.removeDestination(destination) ?? 0;
      // Only nodes left without bindings or children go; the others in `nodes` still hold one.
      this.prune(node);
    }
    this.count -= removed;
    return removed;
  }

  route(routingKey: string, _headers: FieldTable | undefined, out: Set<D>): void {
    if (this.count === 0) return;
    if (++this.epoch > MAX_EPOCH) this.resetMemos();
    this.visit(this.root, topicWords(routingKey), 0, out);
  }

  hasDestination(destination: D): boolean {
    return this.nodesOf.has(destination);
  }

  *bindings(): IterableIterator<Binding<D>> {
    const stack: TopicNode<D>[] = [this.root];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      if (n.group !== null) yield* n.group.values();
      if (n.words !== null) for (const c of n.words.values()) stack.push(c);
      if (n.star !== null) stack.push(n.star);
      if (n.hash !== null) stack.push(n.hash);
    }
  }

  /** Matches words[i..] against the subtrie at `node`. */
  private visit(node: TopicNode<D>, words: readonly string[], i: number, out: Set<D>): void {
    if (node.hashes >= 2 && this.alreadySeen(node, i, words.length)) return;
    if (i === words.length) {
      node.group?.addTo(out);
    } else {
      const exact = node.words?.get(words[i]);
      if (exact !== undefined) this.visit(exact, words, i + 1, out);
      if (node.star !== null) this.visit(node.star, words, i + 1, out);
    }
    const hash = node.hash;
    if (hash !== null) {
      // '#' takes words[i..j) for every j, the empty span included.
      for (let j = i; j <= words.length; j++) this.visit(hash, words, j, out);
    }
  }

  /** Marks (node, i) as explored in this route(); true if it already was. */
  private alreadySeen(node: TopicNode<D>, i: number, wordCount: number): boolean {
    if (node.memoEpoch !== this.epoch) {
      const needed = (wordCount >>> 5) + 1;
      if (node.memo === null || node.memo.length < needed) node.memo = new Uint32Array(Math.max(needed, 8));
      else node.memo.fill(0, 0, needed);
      node.memoEpoch = this.epoch;
    }
    const memo = node.memo as Uint32Array;
    const bit = 1 << (i & 31);
    const w = i >>> 5;
    if ((memo[w] & bit) !== 0) return true;
    memo[w] |= bit;
    return false;
  }

  private resetMemos(): void {
    this.epoch = 1;
    const stack: TopicNode<D>[] = [this.root];
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      n.memoEpoch = 0;
      if (n.words !== null) for (const c of n.words.values()) stack.push(c);
      if (n.star !== null) stack.push(n.star);
      if (n.hash !== null) stack.push(n.hash);
    }
  }

  private childFor(node: TopicNode<D>, word: string): TopicNode<D> {
    if (word === '*') return (node.star ??= new TopicNode<D>(node, word));
    if (word === '#') return (node.hash ??= new TopicNode<D>(node, word));
    node.words ??= new Map();
    let child = node.words.get(word);
    if (child === undefined) {
      child = new TopicNode<D>(node, word);
      node.words.set(word, child);
    }
    return child;
  }

  /** Drops `node` and its ancestors while they hold no bindings and no children. */
  private prune(node: TopicNode<D>): void {
    if (node.group !== null && node.group.size === 0) node.group = null;
    for (let n = node; n.parent !== null && n.isEmpty; n = n.parent) {
      const p = n.parent;
      if (p.star === n) p.star = null;
      else if (p.hash === n) p.hash = null;
      else p.words?.delete(n.word);
    }
  }
}
