/** Authlete's batch errors name the failing element ("Element [12]: ..."), relative to the batch. */
export function failingElement(description: string | null | undefined): number | undefined {
  const match = description ? /Element \[(\d+)\]/.exec(description) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * The file line of the element an Authlete batch error names, given the batch's row ranges and
 * the line of every row; undefined when the error names no element or it is out of range.
 */
export function failingElementLine(
  description: string | null | undefined,
  rowRanges: readonly (readonly [number, number])[],
  lines: ArrayLike<number> | undefined,
): number | undefined {
  let element = failingElement(description);
  if (element === undefined || !lines) return undefined;
  for (const [from, to] of rowRanges) {
    if (element < to - from) return lines[from + element];
    element -= to - from;
  }
  return undefined;
}
