/**
 * Rows written under an older feature set of a stream, laid out in the stream's current feature
 * order (a feature the row lacks reads as null). Shared by both stores so they answer alike.
 */
export function remapFeatures(from: readonly string[], values: ReadonlyArray<number | null>, to: readonly string[]): Array<number | null> {
  const at = new Map(from.map((n, i) => [n, i]));
  return to.map((n) => {
    const i = at.get(n);
    return i === undefined ? null : (values[i] ?? null);
  });
}
