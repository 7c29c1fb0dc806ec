/**
 * A fast path for the plain block YAML that kubectl itself writes: one `key: value` or `- key: value` per line,
 * spaces for indentation, simple scalars. `yaml`'s Document parser takes seconds on a 29 MB kubeconfig; this
 * line scanner takes a small fraction of that.
 *
 * It accepts a strict subset of YAML whose meaning is unambiguous: keys are simple words; values are plain
 * scalars from a safe alphabet that are strings (or exactly `true` / `false`), double-quoted strings without
 * escapes, single-quoted strings without quotes inside, `{}` and `[]`. No comments except kubecred's own
 * marker on a top-level key, no blank lines, tabs, CR, anchors, tags, flow collections or multi-line scalars.
 * Anything else returns `undefined`, and the caller parses the file with the Document API instead, which
 * handles all of YAML (and reports errors with line and column).
 */
import { absentList, findMarker, type ListKey, type SourceList, type SourceModel, type SourceScalar } from "./model.js"

class Fallback extends Error {}
const fallback = (): never => {
  throw new Fallback()
}

const PLAIN = /^[A-Za-z0-9_./+=-][A-Za-z0-9_./+=:@%-]*$/
const NOT_A_STRING =
  /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|null|Null|NULL|~|true|True|TRUE|false|False|FALSE)$/
const SPECIAL_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9][0-9_.eE+-]*)$/
const MARKER_COMMENT = /^# kubecred:was=(?:absent|"(?:[^"\\]|\\.)*")$/

interface Line {
  readonly start: number
  readonly end: number // after the newline, when there is one
  /** Column of the key, or of the scalar of a `- scalar` item. */
  readonly col: number
  /** Column of the `-`, or -1. */
  readonly dash: number
  readonly key: string | undefined
  /** Raw inline value text, undefined when the key has none. */
  readonly value: string | undefined
  readonly colonEnd: number
}

const scalar = (raw: string): unknown => {
  if (raw === "true") return true
  if (raw === "false") return false
  if (raw === "{}") return {}
  if (raw === "[]") return []
  if (raw === '""' || raw === "''") return ""
  if (raw === "null" || raw === "Null" || raw === "NULL" || raw === "~") return null
  if (raw === "-") fallback()
  const first = raw.charCodeAt(0)
  if (first === 34) {
    // "..."
    if (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== 34) fallback()
    const inner = raw.slice(1, -1)
    if (inner.includes('"') || inner.includes("\\")) fallback()
    return inner
  }
  if (first === 39) {
    if (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== 39) fallback()
    const inner = raw.slice(1, -1)
    if (inner.includes("'")) fallback()
    return inner
  }
  if (!PLAIN.test(raw) || raw.endsWith(":") || NOT_A_STRING.test(raw)) fallback()
  return raw
}

const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/

const splitLines = (text: string): Array<Line> => {
  const lines: Array<Line> = []
  let start = 0
  while (start < text.length) {
    const newline = text.indexOf("\n", start)
    const lineEnd = newline === -1 ? text.length : newline
    const end = newline === -1 ? text.length : newline + 1
    // Indentation, then an optional `- ` (one only), then `key:` or a scalar item.
    let at = start
    while (at < lineEnd && text.charCodeAt(at) === 32) at++
    const indent = at - start
    let dash = -1
    if (text.charCodeAt(at) === 45 && text.charCodeAt(at + 1) === 32) {
      dash = indent
      at += 2
      while (at < lineEnd && text.charCodeAt(at) === 32) at++
      if (text.charCodeAt(at) === 45 && text.charCodeAt(at + 1) === 32) fallback()
    }
    const col = at - start
    // The key ends at the first `:` followed by a space or the end of the line.
    let colon = text.indexOf(":", at)
    while (colon !== -1 && colon < lineEnd && colon + 1 < lineEnd && text.charCodeAt(colon + 1) !== 32) {
      colon = text.indexOf(":", colon + 1)
    }
    if (colon !== -1 && colon < lineEnd && KEY.test(text.slice(at, colon))) {
      const key = text.slice(at, colon)
      if (SPECIAL_KEY.test(key)) fallback()
      let valueStart = colon + 1
      while (valueStart < lineEnd && text.charCodeAt(valueStart) === 32) valueStart++
      let value: string | undefined = valueStart < lineEnd ? text.slice(valueStart, lineEnd) : undefined
      if (value !== undefined && value.charCodeAt(0) === 35) {
        // `key: # kubecred:was=...`, our marker on a list key: the only comment we read here.
        if (dash !== -1 || indent !== 0 || !MARKER_COMMENT.test(value)) fallback()
        value = undefined
      }
      lines.push({ start, end, col, dash, key, value, colonEnd: colon + 1 })
    } else {
      if (dash === -1 || col >= lineEnd - start) fallback()
      lines.push({ start, end, col, dash, key: undefined, value: text.slice(at, lineEnd), colonEnd: -1 })
    }
    start = end
  }
  return lines
}

/** The end of a line's text, before its newline. */
const contentEnd = (text: string, line: Line): number =>
  line.end > line.start && text.charCodeAt(line.end - 1) === 10 ? line.end - 1 : line.end

/** Builds values from lines; each method returns the value and the index of the first line after it. */
class Scanner {
  constructor(readonly lines: ReadonlyArray<Line>) {}

  /** A mapping whose keys sit at column `col`, starting with line `at` (which may carry a `-`). */
  mapping(at: number, col: number): [Record<string, unknown>, number] {
    const out: Record<string, unknown> = {}
    let index = at
    while (index < this.lines.length) {
      const line = this.lines[index]!
      if (line.col !== col || line.key === undefined || (index !== at && line.dash !== -1)) break
      if (Object.hasOwn(out, line.key)) fallback()
      if (line.value !== undefined) {
        out[line.key] = scalar(line.value)
        index++
        continue
      }
      const [value, next] = this.nested(index + 1, col)
      out[line.key] = value
      index = next
    }
    return [out, index]
  }

  /** The block value of a key at column `col` whose value starts on line `at`. */
  nested(at: number, col: number): [unknown, number] {
    const line = this.lines[at]
    if (line === undefined) return [null, at]
    if (line.dash !== -1 && line.dash >= col) return this.sequence(at, line.dash)
    if (line.dash === -1 && line.col > col) return this.mapping(at, line.col)
    if (line.col > col) fallback()
    return [null, at]
  }

  /** A block sequence whose `-` sit at column `dash`. */
  sequence(at: number, dash: number): [Array<unknown>, number] {
    const out: Array<unknown> = []
    let index = at
    while (index < this.lines.length) {
      const line = this.lines[index]!
      if (line.dash !== dash) break
      if (line.key === undefined) {
        out.push(scalar(line.value!))
        index++
        continue
      }
      const [value, next] = this.mapping(index, line.col)
      out.push(value)
      index = next
    }
    return [out, index]
  }
}

/** The model of a file in kubectl's plain style, or undefined when the Document API must parse it. */
export const fastScan = (path: string, text: string): SourceModel | undefined => {
  if (text.length === 0 || text.includes("\r") || text.includes("\t")) return undefined
  try {
    const lines = splitLines(text)
    const scanner = new Scanner(lines)
    const data: Record<string, unknown> = {}
    const topEnd = text.length
    const lists = {} as Record<ListKey, SourceList>
    let currentContext: SourceScalar = {
      present: false,
      value: undefined,
      keyLineStart: topEnd,
      colonEnd: topEnd,
      valueEnd: topEnd,
      lineEnd: topEnd
    }
    let index = 0
    while (index < lines.length) {
      const line = lines[index]!
      if (line.col !== 0 || line.dash !== -1 || line.key === undefined) fallback()
      const key = line.key!
      if (Object.hasOwn(data, key)) fallback()
      const keyLineEnd = line.end
      if (key === "current-context") {
        if (line.value === undefined) fallback()
        const value = scalar(line.value!)
        data[key] = value
        currentContext = {
          present: true,
          value: typeof value === "string" ? value : undefined,
          keyLineStart: line.start,
          colonEnd: line.colonEnd,
          valueEnd: contentEnd(text, line),
          lineEnd: keyLineEnd
        }
        index++
        continue
      }
      let value: unknown
      let next: number
      if (line.value !== undefined) {
        value = scalar(line.value)
        next = index + 1
      } else {
        ;[value, next] = scanner.nested(index + 1, 0)
      }
      data[key] = value
      if (key === "clusters" || key === "users" || key === "contexts") {
        const entryLines: Array<[number, number]> = []
        if (Array.isArray(value) && value.length > 0) {
          // Each entry runs from its `-` line to the line before the next `-` at the same column.
          const dash = lines[index + 1]!.dash
          for (let at = index + 1; at < next; at++) {
            if (lines[at]!.dash === dash) entryLines.push([at, at])
            else entryLines[entryLines.length - 1]![1] = at
          }
          if (entryLines.length !== value.length) fallback()
          const entries = (value as Array<Record<string, unknown>>).map((entry, n) => {
            if (entry === null || typeof entry !== "object" || typeof entry.name !== "string") fallback()
            const [first, last] = entryLines[n]!
            return { name: entry.name as string, start: lines[first]!.start, end: lines[last]!.end, value: entry }
          })
          lists[key] = {
            key,
            kind: "block",
            entries,
            indent: dash,
            insertAt: entries[entries.length - 1]!.end,
            keyLineStart: line.start,
            colonEnd: line.colonEnd,
            valueEnd: line.colonEnd,
            keyLineEnd,
            marker: findMarker(text, line.colonEnd, keyLineEnd)
          }
        } else if (value === null || (Array.isArray(value) && value.length === 0)) {
          lists[key] = {
            key,
            kind: "empty",
            entries: [],
            indent: 0,
            insertAt: line.value === undefined ? line.colonEnd : contentEnd(text, line),
            keyLineStart: line.start,
            colonEnd: line.colonEnd,
            // `key:` with nothing: the empty value ends right after the colon
            valueEnd: line.value === undefined ? line.colonEnd : contentEnd(text, line),
            keyLineEnd,
            marker: undefined
          }
        } else {
          fallback()
        }
      }
      index = next
    }
    for (const key of ["clusters", "users", "contexts"] as const) {
      if (lists[key] === undefined) lists[key] = absentList(key, topEnd)
    }
    return {
      path,
      text,
      newline: "\n",
      mode: "splice",
      data,
      lists,
      currentContext,
      topEnd,
      topIndent: 0
    }
  } catch (error) {
    if (error instanceof Fallback) return undefined
    throw error
  }
}
