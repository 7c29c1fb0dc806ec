/**
 * Splices: byte-range replacements of a file's text, the only way kubecred edits a file in place, so every
 * byte it does not change stays as it was. Inserting and removing whole lines are exact inverses.
 */
export interface Splice {
  readonly start: number
  readonly end: number
  readonly text: string
}

/**
 * Inserts whole lines at `pos` (a line start, or the end of a file that lacks its final newline: then the
 * lines go after a newline of their own and the last one loses its newline, so that taking them out again
 * restores the file exactly).
 */
export const insertLines = (text: string, pos: number, lines: string, newline: string): Splice => {
  if (pos === text.length && pos > 0 && !text.endsWith("\n")) {
    return { start: pos, end: pos, text: newline + lines.slice(0, lines.length - newline.length) }
  }
  return { start: pos, end: pos, text: lines }
}

/** Removes whole lines [start, end). `normalizeSplices` makes it the exact inverse of `insertLines`. */
export const removeLines = (start: number, end: number): Splice => ({ start, end, text: "" })

/**
 * Merges touching deletions, and lets a deletion that reaches the end of a file lacking its final newline
 * take the newline before it instead (the inverse of `insertLines` there).
 */
export const normalizeSplices = (text: string, splices: ReadonlyArray<Splice>, newline: string): Array<Splice> => {
  const deletions = sortSplices(splices.filter((splice) => splice.text === "" && splice.end > splice.start))
  const others = splices.filter((splice) => !(splice.text === "" && splice.end > splice.start))
  const merged: Array<{ start: number; end: number; text: string }> = []
  for (const deletion of deletions) {
    const last = merged[merged.length - 1]
    if (last !== undefined && deletion.start <= last.end) last.end = Math.max(last.end, deletion.end)
    else merged.push({ ...deletion })
  }
  for (const range of merged) {
    if (
      range.end === text.length &&
      !text.endsWith("\n") &&
      range.start >= newline.length &&
      text.slice(range.start - newline.length, range.start) === newline
    ) {
      range.start -= newline.length
    }
  }
  return [...others, ...merged]
}

export const applySplices = (text: string, splices: ReadonlyArray<Splice>): string => {
  const sorted = sortSplices(splices)
  let out = ""
  let at = 0
  for (const splice of sorted) {
    out += text.slice(at, splice.start) + splice.text
    at = splice.end
  }
  return out + text.slice(at)
}

export const sortSplices = (splices: ReadonlyArray<Splice>): Array<Splice> =>
  splices
    .map((splice, index) => ({ splice, index }))
    .sort((a, b) => a.splice.start - b.splice.start || a.index - b.index)
    .map(({ splice }) => splice)
