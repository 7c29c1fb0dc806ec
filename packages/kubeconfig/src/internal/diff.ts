/**
 * The unified diff of a set of splices, computed from the splices themselves (cheap on a large file): each
 * region a splice replaces is compared line by line with its replacement (lineDiff.ts), so only the lines that
 * really change are shown, with every secret-bearing value masked by structure before a line is printed
 * (redact.ts).
 */
import { lineEndAfter, lineStartOf } from "./model.js"
import { lineEdits } from "./lineDiff.js"
import { maskRanges, maskText, type Range, SENTINEL, secretRanges, showMasked } from "./redact.js"
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

/** Where each line of `text` starts. */
const lineStarts = (text: string): Array<number> => {
  const starts: Array<number> = []
  for (let at = 0; at < text.length; at = text.indexOf("\n", at) + 1 || text.length) starts.push(at)
  return starts
}

/** A line as both sides have it, masked wherever either side masks it (so an unchanged line shows no more). */
const maskedInBoth = (oldLine: string, newLine: string): string => {
  if (oldLine === newLine) return oldLine
  let out = ""
  for (let i = 0; i < oldLine.length; i++) out += newLine[i] === SENTINEL ? SENTINEL : oldLine[i]
  return out
}

/** One block of lines that really changes: `oldCount` old lines from `oldLine` become `added`. */
interface Change {
  readonly oldLine: number
  readonly oldCount: number
  readonly added: ReadonlyArray<string>
}

/**
 * The unified diff of applying `splices` to `text` (`path` in the header), `context` lines around each change,
 * every secret-bearing value shown as `<redacted>` (found by structure, see redact.ts). Computed from the
 * splices, so it costs little on a large file: each replaced region is compared line by line (lineDiff.ts)
 * with what replaces it, so an entry written again shows only the lines that differ, and none when it is the
 * same. Lines are compared unmasked (a rotated certificate is a change) and printed masked.
 */
export const unifiedDiff = (
  path: string,
  rawText: string,
  rawSplices: ReadonlyArray<Splice>,
  entries?: ReadonlyArray<Range>,
  context = 3
): string => {
  const maskedSplices = rawSplices.map((splice) =>
    splice.text === "" ? splice : { ...splice, text: maskText(splice.text) }
  )
  const text = maskOld(rawText, rawSplices, entries, context)
  // Masking keeps every length, so both computations find the same regions at the same offsets.
  const rawRegions = regionsOf(rawText, rawSplices)
  const regions = regionsOf(text, maskedSplices)
  const starts = lineStarts(text)
  const oldLineAt = (n: number) => splitLines(text.slice(starts[n]!, starts[n + 1] ?? text.length))[0] ?? ""
  const shown = new Map<number, string>()
  const changes: Array<Change> = []
  let line = 0
  let at = 0
  for (const [r, region] of regions.entries()) {
    line += countNewlines(text, at, region.oldStart)
    at = region.oldStart
    const raw = rawRegions[r]!
    const oldRaw = splitLines(rawText.slice(raw.oldStart, raw.oldEnd))
    const newRaw = splitLines(raw.replacement)
    const oldMasked = splitLines(text.slice(region.oldStart, region.oldEnd))
    const newMasked = splitLines(region.replacement)
    let o = 0
    let n = 0
    const unchangedUpTo = (end: number) => {
      for (; o < end; o++, n++) {
        const both = maskedInBoth(oldMasked[o]!, newMasked[n]!)
        if (both !== oldMasked[o]) shown.set(line + o, both)
      }
    }
    for (const edit of lineEdits(oldRaw, newRaw)) {
      unchangedUpTo(edit.oldAt)
      changes.push({
        oldLine: line + edit.oldAt,
        oldCount: edit.oldCount,
        added: newMasked.slice(edit.newAt, edit.newAt + edit.newCount)
      })
      o = edit.oldAt + edit.oldCount
      n = edit.newAt + edit.newCount
    }
    unchangedUpTo(oldRaw.length)
  }
  if (changes.length === 0) return ""
  const lineShown = (n: number) => shown.get(n) ?? oldLineAt(n)
  const out: Array<string> = [`--- ${path}`, `+++ ${path}`]
  let delta = 0
  let index = 0
  while (index < changes.length) {
    // Group the changes whose context would touch.
    let last = index
    while (
      last + 1 < changes.length &&
      changes[last + 1]!.oldLine - (changes[last]!.oldLine + changes[last]!.oldCount) <= 2 * context
    ) {
      last++
    }
    const from = Math.max(0, changes[index]!.oldLine - context)
    const to = Math.min(starts.length, changes[last]!.oldLine + changes[last]!.oldCount + context)
    const body: Array<string> = []
    let cursor = from
    let added = 0
    for (let c = index; c <= last; c++) {
      const change = changes[c]!
      for (; cursor < change.oldLine; cursor++) body.push(` ${showMasked(lineShown(cursor))}`)
      for (; cursor < change.oldLine + change.oldCount; cursor++) body.push(`-${showMasked(oldLineAt(cursor))}`)
      for (const l of change.added) body.push(`+${showMasked(l)}`)
      added += change.added.length - change.oldCount
    }
    for (; cursor < to; cursor++) body.push(` ${showMasked(lineShown(cursor))}`)
    const oldCount = to - from
    const newCount = oldCount + added
    const newFrom = from + delta
    out.push(
      `@@ -${oldCount === 0 ? from : from + 1},${oldCount} +${newCount === 0 ? newFrom : newFrom + 1},${newCount} @@`,
      ...body
    )
    delta += added
    index = last + 1
  }
  return `${out.join("\n")}\n`
}
