/**
 * A reader for the plain block YAML that kubectl, the yaml library and the clouds write: one `key: value`,
 * `key:` or `- ...` per line, spaces for indentation, simple scalars. For such a text it answers exactly what
 * js-yaml's `load` answers (YAML 1.2 core schema); for anything else it answers `undefined` and
 * ProviderKubeconfig reads the text with js-yaml, which handles all of YAML and refuses what it must. It
 * spares `add` initialising and running js-yaml on every answer (docs/decisions.md, "Start-up").
 *
 * Accepted: keys that are plain words (not `true`, `null`, ... and not `__proto__`), each once per mapping;
 * values `{}`, `[]`, double-quoted strings without escapes or quotes inside, single-quoted strings without
 * quotes inside, and plain scalars from a safe alphabet that start with a letter, a digit, `_` or `/`, which
 * are strings unless they are the core schema's `null`, `true` or `false` words (its numbers fall back);
 * block sequences at or below their key's indentation; blank lines and whole-line comments. Everything else
 * (anchors, tags, flow collections, block scalars, multi-line scalars, trailing comments, tabs, CR, control
 * characters, document markers, nesting deeper than 64) falls back.
 */

class Fallback extends Error {}
const fallback = (): never => {
  throw new Fallback()
}

const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/
const PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./+=:@%-]*$/
const KEYWORD = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/
// the core schema's integers and floats, as js-yaml resolves them
const NUMBER =
  /^(?:0o[0-7]+|0x[0-9a-fA-F]+|[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/
// tabs, CR, other control characters, NEL, the BOM, lone surrogates: js-yaml decides those
const UNUSUAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff]/
const MAX_DEPTH = 64

interface Line {
  /** Column where the content starts. */
  readonly col: number
  /** The content: the line after its indentation. */
  readonly text: string
}

const isDash = (text: string): boolean => text === "-" || text.startsWith("- ")

/** The text from `from` on, without the spaces there (YAML indents and separates with spaces only). */
const afterSpaces = (text: string, from: number): string => {
  let at = from
  while (text.charCodeAt(at) === 32) at++
  return text.slice(at)
}

/** `key: value` or `key:` as [key, value text ("" when none)], else undefined. */
const entryOf = (text: string): [string, string] | undefined => {
  const colon = text.indexOf(":")
  if (colon <= 0) return undefined
  const key = text.slice(0, colon)
  if (!KEY.test(key)) return undefined
  if (colon === text.length - 1) return [key, ""]
  if (text.charCodeAt(colon + 1) !== 32) return undefined
  return [key, afterSpaces(text, colon + 2)]
}

const scalar = (raw: string): unknown => {
  if (raw === "{}") return {}
  if (raw === "[]") return []
  if (raw === "~") return null
  const first = raw.charCodeAt(0)
  if (first === 34 || first === 39) {
    // "..." or '...', on one line, nothing to unescape
    const inner = raw.slice(1, -1)
    if (raw.length < 2 || raw.charCodeAt(raw.length - 1) !== first) return fallback()
    if (inner.includes(first === 34 ? '"' : "'") || (first === 34 && inner.includes("\\"))) return fallback()
    return inner
  }
  if (!PLAIN.test(raw) || raw.endsWith(":") || NUMBER.test(raw)) return fallback()
  if (KEYWORD.test(raw)) return raw.charCodeAt(0) === 110 || raw.charCodeAt(0) === 78 ? null : /^t/i.test(raw)
  return raw
}

const read = (lines: Array<Line>): unknown => {
  let i = 0

  const node = (depth: number): unknown => {
    if (depth > MAX_DEPTH) return fallback()
    const line = lines[i]!
    return isDash(line.text) ? sequence(line.col, depth) : mapping(line.col, depth)
  }

  const sequence = (col: number, depth: number): Array<unknown> => {
    const items: Array<unknown> = []
    while (i < lines.length && lines[i]!.col === col && isDash(lines[i]!.text)) {
      const text = lines[i]!.text
      const item = afterSpaces(text, 1)
      if (item === "" || isDash(item)) return fallback()
      if (entryOf(item) === undefined) {
        items.push(scalar(item))
        i++
      } else {
        // the item's mapping starts on the dash's line, at the column after `- `
        lines[i] = { col: col + text.length - item.length, text: item }
        items.push(mapping(lines[i]!.col, depth + 1))
      }
    }
    return items
  }

  const mapping = (col: number, depth: number): Record<string, unknown> => {
    const result: Record<string, unknown> = {}
    while (i < lines.length && lines[i]!.col === col && !isDash(lines[i]!.text)) {
      const entry = entryOf(lines[i]!.text)
      if (entry === undefined) return fallback()
      const [key, value] = entry
      if (key === "__proto__" || KEYWORD.test(key) || Object.hasOwn(result, key)) return fallback()
      i++
      if (value !== "") {
        result[key] = scalar(value)
      } else {
        const next = lines[i]
        const nested = next !== undefined && (next.col > col || (next.col === col && isDash(next.text)))
        result[key] = nested ? node(depth + 1) : null
      }
    }
    if (i < lines.length && lines[i]!.col > col) return fallback()
    return result
  }

  if (lines.length === 0 || lines[0]!.col !== 0) return fallback()
  const value = node(0)
  return i === lines.length ? value : fallback()
}

/** The text's value as js-yaml would load it, or undefined when the text is not in the plain subset. */
export const readPlainYaml = (text: string): { readonly value: unknown } | undefined => {
  if (UNUSUAL.test(text)) return undefined
  const lines: Array<Line> = []
  for (const raw of text.split("\n")) {
    const content = afterSpaces(raw, 0)
    if (content === "" || content.startsWith("#")) continue
    if (content.endsWith(" ")) return undefined
    lines.push({ col: raw.length - content.length, text: content })
  }
  try {
    return { value: read(lines) }
  } catch (error) {
    if (error instanceof Fallback) return undefined
    throw error
  }
}
