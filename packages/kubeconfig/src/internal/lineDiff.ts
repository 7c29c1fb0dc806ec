/**
 * The blocks of lines that differ between two lists of lines: the shortest edit script, from jsdiff's
 * `diffArrays` (Myers' O(ND) algorithm). Common leading and trailing lines are taken off first; a middle that
 * needs more than a bound of edits (or of time) is one block, replaced whole, so a re-rendered file of any size
 * stays cheap. Only the array diff is imported: the rest of the library never loads.
 */
import { diffArrays } from "diff/lib/diff/array.js"

/** Lines `oldAt .. oldAt+oldCount` of the old list become lines `newAt .. newAt+newCount` of the new one. */
export interface Edit {
  readonly oldAt: number
  readonly oldCount: number
  readonly newAt: number
  readonly newCount: number
}

/** Past this many differing lines, or this long comparing, the middle is one replaced block. */
const MAX_EDITS = 1000
const MAX_MILLIS = 1000

/** The blocks of lines that differ between `a` and `b`, in order; none when they are equal. */
export const lineEdits = (a: ReadonlyArray<string>, b: ReadonlyArray<string>): Array<Edit> => {
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let endA = a.length
  let endB = b.length
  while (endA > head && endB > head && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const n = endA - head
  const m = endB - head
  if (n === 0 && m === 0) return []
  const whole = [{ oldAt: head, oldCount: n, newAt: head, newCount: m }]
  if (n === 0 || m === 0) return whole
  const changes = diffArrays(a.slice(head, endA), b.slice(head, endB), {
    maxEditLength: MAX_EDITS,
    timeout: MAX_MILLIS
  })
  if (changes === undefined) return whole
  const edits: Array<Edit> = []
  let x = head
  let y = head
  let open: { oldAt: number; newAt: number } | undefined
  const close = () => {
    if (open !== undefined) edits.push({ ...open, oldCount: x - open.oldAt, newCount: y - open.newAt })
    open = undefined
  }
  for (const change of changes) {
    if (!change.added && !change.removed) {
      close()
      x += change.count
      y += change.count
      continue
    }
    open ??= { oldAt: x, newAt: y }
    if (change.removed) x += change.count
    else y += change.count
  }
  close()
  return edits
}
