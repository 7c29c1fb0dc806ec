/**
 * The unified diff of a set of splices, computed from the splices themselves (cheap on a large file), with
 * every secret-bearing value masked by structure before a line is printed (redact.ts).
 */
import { lineEndAfter, lineStartOf } from "./model.js"
import { maskRanges, maskText, type Range, secretRanges, showMasked } from "./redact.js"
import { type Splice, sortSplices } from "./splice.js"

interface Region {
  readonly oldStart: number
  readonly oldEnd: number
  readonly replacement: string
}

const splitLines = (text: string): Array<string> => {
  if (text === "") return []
  const lines = text.split("\n")
  if (lines[lines.length - 1] === "") lines.pop()
  return lines.map((line) => line.replace(/\r$/, ""))
}

const countNewlines = (text: string, from: number, to: number): number => {
  let count = 0
  for (let index = text.indexOf("\n", from); index !== -1 && index < to; index = text.indexOf("\n", index + 1)) count++
  return count
}

/** Up to `max` whole lines that end at `pos` (a line start), not reaching before `floor`. */
const linesBefore = (text: string, pos: number, max: number, floor: number): Array<string> => {
  let start = pos
  for (let n = 0; n < max && start > floor; n++) start = lineStartOf(text, start - 1)
  return splitLines(text.slice(Math.max(start, floor), pos))
}

/** Up to `max` whole lines from `pos` (a line start), not reaching past `ceiling`. */
const linesAfter = (text: string, pos: number, max: number, ceiling: number): Array<string> => {
  let end = pos
  for (let n = 0; n < max && end < ceiling; n++) end = lineEndAfter(text, end + 1 > ceiling ? end : end + 1)
  return splitLines(text.slice(pos, Math.min(end, ceiling)))
}

/** Splices widened to whole lines, sorted, overlapping ones merged. */
const regionsOf = (text: string, splices: ReadonlyArray<Splice>): Array<Region> => {
  const regions: Array<Region> = []
  for (const splice of sortSplices(splices)) {
    const oldStart = lineStartOf(text, splice.start)
    const pureInsert = splice.start === splice.end && oldStart === splice.start && splice.text.endsWith("\n")
    const oldEnd = pureInsert
      ? splice.start
      : splice.end > splice.start && text.charCodeAt(splice.end - 1) === 10
        ? splice.end
        : lineEndAfter(text, splice.end)
    const last = regions[regions.length - 1]
    if (last !== undefined && oldStart < last.oldEnd) {
      // Two splices on one line: the earlier region's replacement already holds the text up to its oldEnd.
      const keep = last.replacement.length - (last.oldEnd - splice.start)
      const end = Math.max(oldEnd, last.oldEnd)
      regions[regions.length - 1] = {
        oldStart: last.oldStart,
        oldEnd: end,
        replacement: last.replacement.slice(0, keep) + splice.text + text.slice(splice.end, end)
      }
      continue
    }
    regions.push({
      oldStart,
      oldEnd,
      replacement: text.slice(oldStart, splice.start) + splice.text + text.slice(splice.end, oldEnd)
    })
  }
  return regions
}

/** Where a diff may look: from a few lines before the first splice to a few lines after the last one. */
const windowOf = (text: string, splice: Splice, lines: number): Range => {
  let start = splice.start
  for (let n = 0; n <= lines && start > 0; n++) start = lineStartOf(text, start - 1)
  let end = splice.end
  for (let n = 0; n <= lines && end < text.length; n++) end = lineEndAfter(text, end + 1)
  return [start, end]
}

/**
 * `text` with the secrets the diff may show masked. With `entries` (the list entries of a file edited in place),
 * only the entries near a splice are parsed, each on its own; without, the whole text is.
 */
const maskOld = (
  text: string,
  splices: ReadonlyArray<Splice>,
  entries: ReadonlyArray<Range> | undefined,
  context: number
): string => {
  if (entries === undefined) {
    const ranges = secretRanges(text)
    return ranges === undefined ? text.replace(/[^\s]/g, "\u0000") : maskRanges(text, ranges)
  }
  const windows = splices.map((splice) => windowOf(text, splice, context + 1))
  const ranges: Array<Range> = []
  for (const [start, end] of entries) {
    if (!windows.some(([from, to]) => start < to && end > from)) continue
    const found = secretRanges(text.slice(start, end))
    if (found === undefined) ranges.push([start, end])
    else for (const [a, b] of found) ranges.push([a + start, b + start])
  }
  return maskRanges(text, ranges)
}

/**
 * The unified diff of applying `splices` to `text` (`path` in the header), `context` lines around each change,
 * every secret-bearing value shown as `<redacted>` (found by structure, see redact.ts). Computed from the
 * splices, so it costs little on a large file.
 */
export const unifiedDiff = (
  path: string,
  rawText: string,
  rawSplices: ReadonlyArray<Splice>,
  entries?: ReadonlyArray<Range>,
  context = 3
): string => {
  const splices = rawSplices.map((splice) => (splice.text === "" ? splice : { ...splice, text: maskText(splice.text) }))
  const text = maskOld(rawText, rawSplices, entries, context)
  const regions = regionsOf(text, splices)
  if (regions.length === 0) return ""
  const startLines: Array<number> = []
  let line = 0
  let at = 0
  for (const region of regions) {
    line += countNewlines(text, at, region.oldStart)
    at = region.oldStart
    startLines.push(line)
  }
  const out: Array<string> = [`--- ${path}`, `+++ ${path}`]
  const show = (prefix: string) => (l: string) => `${prefix}${showMasked(l)}`
  let delta = 0
  let index = 0
  while (index < regions.length) {
    // Group the regions whose context would touch.
    let last = index
    while (last + 1 < regions.length) {
      const gap =
        startLines[last + 1]! - startLines[last]! - countNewlines(text, regions[last]!.oldStart, regions[last]!.oldEnd)
      if (gap > 2 * context) break
      last++
    }
    const first = regions[index]!
    const leading = linesBefore(text, first.oldStart, context, index === 0 ? 0 : regions[index - 1]!.oldEnd)
    const body: Array<string> = leading.map(show(" "))
    let oldCount = leading.length
    let newCount = leading.length
    const oldFrom = startLines[index]! - leading.length
    const newFrom = oldFrom + delta
    for (let r = index; r <= last; r++) {
      const region = regions[r]!
      if (r > index) {
        const between = splitLines(text.slice(regions[r - 1]!.oldEnd, region.oldStart))
        body.push(...between.map(show(" ")))
        oldCount += between.length
        newCount += between.length
      }
      const oldLines = splitLines(text.slice(region.oldStart, region.oldEnd))
      const newLines = splitLines(region.replacement)
      body.push(...oldLines.map(show("-")), ...newLines.map(show("+")))
      oldCount += oldLines.length
      newCount += newLines.length
      delta += newLines.length - oldLines.length
    }
    const end = regions[last]!.oldEnd
    const trailing = linesAfter(
      text,
      end,
      context,
      last + 1 < regions.length ? regions[last + 1]!.oldStart : text.length
    )
    body.push(...trailing.map(show(" ")))
    oldCount += trailing.length
    newCount += trailing.length
    out.push(
      `@@ -${oldCount === 0 ? oldFrom : oldFrom + 1},${oldCount} +${newCount === 0 ? newFrom : newFrom + 1},${newCount} @@`,
      ...body
    )
    index = last + 1
  }
  return `${out.join("\n")}\n`
}
