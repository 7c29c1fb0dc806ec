/**
 * The shortest edit script between two lists of lines (Myers' O(ND) algorithm), as the blocks of lines that
 * differ. Common leading and trailing lines are taken off first; a middle that would cost more than a bound is
 * one block (replaced whole), so a re-rendered file of any size stays cheap.
 */

/** Lines `oldAt .. oldAt+oldCount` of the old list become lines `newAt .. newAt+newCount` of the new one. */
export interface Edit {
  readonly oldAt: number
  readonly oldCount: number
  readonly newAt: number
  readonly newCount: number
}

/** Past this many differing lines, or this much comparing, the middle is one replaced block. */
const MAX_DISTANCE = 1000
const MAX_WORK = 5_000_000

/** The edit path of the middle `a[0..n)` vs `b[0..m)` as `=`, `-`, `+` steps, or undefined over the bounds. */
const myers = (same: (x: number, y: number) => boolean, n: number, m: number): Array<"=" | "-" | "+"> | undefined => {
  const max = Math.min(n + m, MAX_DISTANCE)
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  // trace[d] holds v over diagonals -d..d after round d.
  const trace: Array<Int32Array> = []
  let work = 0
  let distance = -1
  for (let d = 0; d <= max && distance === -1; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1
      let y = x - k
      const snakeFrom = x
      while (x < n && y < m && same(x, y)) {
        x++
        y++
      }
      work += 1 + x - snakeFrom
      v[offset + k] = x
      if (x >= n && y >= m) {
        distance = d
        break
      }
    }
    trace.push(v.slice(offset - d, offset + d + 1))
    if (work > MAX_WORK) return undefined
  }
  if (distance === -1) return undefined
  const steps: Array<"=" | "-" | "+"> = []
  let x = n
  let y = m
  for (let d = distance; d > 0; d--) {
    const previous = trace[d - 1]!
    const at = (k: number) => previous[k + d - 1]!
    const k = x - y
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1))
    const fromK = down ? k + 1 : k - 1
    const fromX = at(fromK)
    const moveEndX = down ? fromX : fromX + 1
    while (x > moveEndX) {
      x--
      y--
      steps.push("=")
    }
    if (down) {
      y--
      steps.push("+")
    } else {
      x--
      steps.push("-")
    }
  }
  for (; x > 0; x--) steps.push("=")
  return steps.reverse()
}

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
  const steps = myers((x, y) => a[head + x] === b[head + y], n, m)
  if (steps === undefined) return whole
  const edits: Array<Edit> = []
  let x = head
  let y = head
  let i = 0
  while (i < steps.length) {
    if (steps[i] === "=") {
      x++
      y++
      i++
      continue
    }
    const oldAt = x
    const newAt = y
    while (i < steps.length && steps[i] !== "=") {
      if (steps[i] === "-") x++
      else y++
      i++
    }
    edits.push({ oldAt, oldCount: x - oldAt, newAt, newCount: y - newAt })
  }
  return edits
}
