// A checked list index: the item at an index that must exist, for noUncheckedIndexedAccess.

/** The item at `index`; throws RangeError when the list has none there. */
export function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new RangeError(`index ${index} outside a list of ${items.length}`);
  return item;
}
