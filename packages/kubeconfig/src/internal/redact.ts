/**
 * Redaction by structure: the source ranges of every secret-bearing value of a kubeconfig, found with `yaml`'s
 * Document API whatever the style (block, flow, JSON, quoted, block scalars, aliases), and a mask that blanks
 * them with a sentinel of the same length, so offsets stay valid and the diff printer shows `<redacted>`.
 *
 * Secret-bearing, per the kubeconfig schema: a user's `client-key-data`, `token`, `password`, every value of an
 * `auth-provider`'s `config`, every `value` of an exec plugin's `env`; and, wherever they appear, keys named
 * like a secret (`id-token`, `refresh-token`, `access-token`, `client-secret`, `secret`). Certificate data
 * (`client-certificate-data`, `certificate-authority-data`) is masked too, as `kubectl config view` omits it:
 * it is no secret, but a diff has no use for a kilobyte of base64, and a changed certificate still shows as
 * a changed line (lines are compared before they are masked).
 * The sentinel is NUL, which a kubeconfig never holds (control characters are refused when a file is read).
 */
import * as YAML from "yaml"

export type Range = readonly [start: number, end: number]

const SECRET_KEY =
  /^(?:client-key-data|token|password|id-token|refresh-token|access-token|client-secret|secret|client-certificate-data|certificate-authority-data)$/i

export const SENTINEL = "\u0000"

const keyOf = (node: unknown): string | undefined =>
  YAML.isPair(node) && YAML.isScalar(node.key) ? String(node.key.value) : undefined

const isSecretPair = (pair: YAML.Pair, ancestors: ReadonlyArray<unknown>): boolean => {
  const key = keyOf(pair)
  if (key === undefined) return false
  if (SECRET_KEY.test(key)) return true
  const keys = ancestors.map(keyOf)
  if (keys.includes("config") && keys.includes("auth-provider")) return true
  return key === "value" && keys.includes("env")
}

/** Every scalar (and alias target) inside `node`. */
const rangesIn = (doc: YAML.Document, node: unknown, into: Array<Range>): void => {
  if (YAML.isAlias(node)) {
    if (node.range) into.push([node.range[0], node.range[1]])
    rangesIn(doc, node.resolve(doc), into)
    return
  }
  if (YAML.isScalar(node)) {
    if (node.range) into.push([node.range[0], node.range[1]])
    return
  }
  if (YAML.isMap(node) || YAML.isSeq(node)) {
    for (const item of node.items as Array<unknown>) {
      if (YAML.isPair(item)) rangesIn(doc, item.value, into)
      else rangesIn(doc, item, into)
    }
  }
}

/** The secret value ranges of a YAML text; undefined when it does not parse (then all of it is masked). */
export const secretRanges = (text: string): ReadonlyArray<Range> | undefined => {
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: false })
  if (doc.errors.length > 0) return undefined
  const ranges: Array<Range> = []
  YAML.visit(doc, {
    Pair(_, pair, path) {
      if (isSecretPair(pair as YAML.Pair, path)) {
        rangesIn(doc, (pair as YAML.Pair).value, ranges)
        return YAML.visit.SKIP
      }
      return undefined
    }
  })
  return ranges
}

/** `text` with the given ranges (offset by `base`) blanked by the sentinel, newlines kept. */
export const maskRanges = (text: string, ranges: ReadonlyArray<Range>, base = 0): string => {
  if (ranges.length === 0) return text
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  let out = ""
  let at = 0
  for (const [rawStart, rawEnd] of sorted) {
    const start = Math.max(at, rawStart - base)
    const end = Math.min(text.length, rawEnd - base)
    if (end <= start) continue
    out += text.slice(at, start) + text.slice(start, end).replace(/[^\r\n]/g, SENTINEL)
    at = end
  }
  return out + text.slice(at)
}

/** A YAML fragment with its secrets masked (all of it when it does not parse on its own). */
export const maskText = (text: string): string => {
  const ranges = secretRanges(text)
  return ranges === undefined ? text.replace(/[^\s]/g, SENTINEL) : maskRanges(text, ranges)
}

/** How a masked line is printed: every run of the sentinel becomes `<redacted>`. */
export const showMasked = (line: string): string => line.replace(/\u0000+/g, "<redacted>")
