/**
 * The laws every version order must keep, checked over a sample of versions:
 * reflexive, antisymmetric, transitive. Schemes feed their own tricky samples
 * (and fast-check generated ones) through the same laws.
 */
import { strict as assert } from "node:assert";

type Compare = (a: string, b: string) => number;

/** Asserts the order laws over every pair and triple of `versions`. */
export function assertOrderLaws(compare: Compare, versions: readonly string[]): void {
  const sign = (a: string, b: string) => Math.sign(compare(a, b));
  for (const a of versions) {
    assert.equal(sign(a, a) || 0, 0, `${a} = ${a}`);
    for (const b of versions) {
      assert.equal(sign(a, b) || 0, -sign(b, a) || 0, `antisymmetry of ${a} and ${b}`);
    }
  }
  // Sort once, then every adjacent chain must stay ordered: cheaper than all triples
  // and still catches intransitivity, because a cycle makes some sorted pair disagree.
  const sorted = [...versions].sort(compare);
  for (let i = 0; i < sorted.length; i++) {
    for (let j = i + 1; j < sorted.length; j++) {
      assert.ok(sign(sorted[i]!, sorted[j]!) <= 0, `transitivity: ${sorted[i]} sorted before ${sorted[j]} but compares greater`);
    }
  }
}

/** Asserts that `compare` agrees with a real tool's verdicts, listing every disagreement at once. */
export function assertAgrees(compare: Compare, verdicts: readonly { a: string; b: string; order: number }[], tool: string): void {
  const wrong = verdicts
    .filter(({ a, b, order }) => Math.sign(compare(a, b)) !== Math.sign(order))
    .map(({ a, b, order }) => `${a} vs ${b}: ${tool} says ${Math.sign(order)}, we say ${Math.sign(compare(a, b))}`);
  assert.deepEqual(wrong, [], `${wrong.length} of ${verdicts.length} comparisons disagree with ${tool}`);
}
