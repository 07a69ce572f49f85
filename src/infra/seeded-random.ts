/**
 * mulberry32: a tiny seeded PRNG. The simulators and the demo use it so a "random" outcome (a
 * shuffled status order, a delivery draw, a user's think time) is the same on every run; tests seed
 * their data with it too. Not for anything secret: codes and keys come from node:crypto.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
