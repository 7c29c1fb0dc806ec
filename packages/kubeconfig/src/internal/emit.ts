/**
 * The yaml library's output for render.ts's options (YAML 1.1, keys sorted, sequences not indented, no folding,
 * `compat: "core"`), written directly for the data a kubeconfig write mostly holds: maps, lists, booleans,
 * null, and strings whose rendering is certain (plain names, URLs and base64; double-quoted digits, timestamps
 * and the other cases below). Anything else answers `undefined` and the library renders it. It exists because
 * the library's stringify is most of a cold `kubecred add`'s write (about 7 ms of one start, docs/decisions.md
 * "Start-up"); emit.test.ts holds it byte for byte to the library's output.
 */

/** A string the library writes plain, as a key or a value: a letter, then no space, quote or indicator. */
const PLAIN = /^[A-Za-z][A-Za-z0-9_./+=@:-]*$/
/**
 * Plain-looking strings that YAML 1.1 or 1.2 read as something else (booleans, null, a YAML 1.1 float such as
 * `e0`): the library quotes them.
 */
const KEYWORD =
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|[eE][-+]?[0-9]+)$/
/**
 * Strings the library double-quotes: empty, a decimal integer, an RFC 3339 UTC timestamp, a leading space.
 * Only printable ASCII without `"` or `\` (written as they are between the quotes).
 */
const QUOTED =
  /^(?:|[0-9]+|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?Z| [\x20-\x21\x23-\x5b\x5d-\x7e]*)$/
/** The library writes a key longer than this as an explicit `? ` key. */
const MAX_KEY = 1024

const scalar = (value: unknown, key: boolean): string | undefined => {
  if (typeof value === "string") {
    if (PLAIN.test(value) && !value.endsWith(":") && !KEYWORD.test(value)) {
      return key && value.length > MAX_KEY ? undefined : value
    }
    if (key) return undefined
    return QUOTED.test(value) || KEYWORD.test(value) ? `"${value}"` : undefined
  }
  if (key) return undefined
  if (value === null) return "null"
  if (value === true) return "true"
  if (value === false) return "false"
  return undefined
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** The library leaves out pairs whose value is undefined: a map of only those is written `{}`. */
const isEmpty = (map: Record<string, unknown>): boolean => Object.keys(map).every((k) => map[k] === undefined)

/** Appends `key: value` lines of a map at `pad` (the first line's own prefix already written by the caller). */
const mapLines = (out: Array<string>, map: Record<string, unknown>, pad: string, first: string): boolean => {
  const keys = Object.keys(map)
    .filter((k) => map[k] !== undefined)
    .sort()
  let prefix = first
  for (const k of keys) {
    const name = scalar(k, true)
    if (name === undefined) return false
    if (!block(out, `${prefix}${name}:`, map[k], pad)) return false
    prefix = pad
  }
  return true
}

/**
 * Writes `head` (a key at `pad`) and its value: a scalar or an empty collection on the same line, a map's pairs
 * below, indented, a list's items below at `pad` (sequences are not indented under their key).
 */
const block = (out: Array<string>, head: string, value: unknown, pad: string): boolean => {
  if (Array.isArray(value)) {
    if (value.length === 0) return out.push(`${head} []`) > 0
    out.push(head)
    return seqLines(out, value, pad)
  }
  if (isPlainObject(value)) {
    if (isEmpty(value)) return out.push(`${head} {}`) > 0
    out.push(head)
    return mapLines(out, value, `${pad}  `, `${pad}  `)
  }
  const text = scalar(value, false)
  if (text === undefined) return false
  out.push(`${head} ${text}`)
  return true
}

const seqLines = (out: Array<string>, items: ReadonlyArray<unknown>, pad: string): boolean => {
  for (const item of items) {
    if (Array.isArray(item)) {
      if (item.length > 0) return false
      out.push(`${pad}- []`)
    } else if (isPlainObject(item)) {
      if (isEmpty(item)) out.push(`${pad}- {}`)
      else if (!mapLines(out, item, `${pad}  `, `${pad}- `)) return false
    } else {
      const text = scalar(item, false)
      if (text === undefined) return false
      out.push(`${pad}- ${text}`)
    }
  }
  return true
}

/** The document the library would write for `data`, or undefined when that is not certain here. */
export const emitDocument = (data: unknown): string | undefined => {
  const out: Array<string> = []
  if (isPlainObject(data)) {
    if (isEmpty(data)) return "{}\n"
    if (!mapLines(out, data, "", "")) return undefined
  } else if (Array.isArray(data)) {
    if (data.length === 0) return "[]\n"
    if (!seqLines(out, data, "")) return undefined
  } else {
    const text = scalar(data, false)
    if (text === undefined) return undefined
    out.push(text)
  }
  return `${out.join("\n")}\n`
}
