/**
 * Rendering entries in kubectl's own style: keys sorted, sequences not indented under their key, no line
 * folding, and YAML that YAML 1.1 (go-yaml, kubectl) and YAML 1.2 (what kubecred reads with) take back as the
 * same data.
 */
import * as YAML from "yaml"
import { emitDocument } from "./emit.js"

/** YAML 1.1 output, so that go-yaml (kubectl) reads strings like `yes` or `on` as strings too. */
export const renderOptions = {
  version: "1.1",
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: false,
  sortMapEntries: true,
  // quote a string that YAML 1.2's core schema would read as something else too (`0o17`, `0x1F`)
  compat: "core"
} as const

const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner
  )

const sameData = (a: unknown, b: unknown): boolean => sortedJson(a) === sortedJson(b)

/** Whether YAML 1.2 and YAML 1.1 both read `text` back as `data`. */
const readsBack = (text: string, data: unknown): boolean => {
  try {
    return sameData(YAML.parse(text), data) && sameData(YAML.parse(text, { version: "1.1" }), data)
  } catch {
    return false // e.g. a `<<` key that YAML 1.1 takes for a merge
  }
}

/** Printable ASCII: no YAML 1.1-only line breaks (NEL, LS, PS), no escapes that differ between the versions. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/

/**
 * Whether `value` reads back the same in YAML 1.1 and 1.2 as rendered: its keys and strings are printable ASCII
 * (the yaml library quotes those that either version's implicit types would claim, `compat` above) and its
 * other leaves are booleans or null. A kubeconfig's names, URLs, timestamps and base64 data are; anything else
 * (numbers, non-ASCII, a `<<` that YAML 1.1 takes for a merge) takes the round trip below.
 */
const unambiguous = (value: unknown): boolean => {
  if (typeof value === "string") return PRINTABLE_ASCII.test(value) && value !== "<<"
  if (value === null || typeof value === "boolean") return true
  if (Array.isArray(value)) return value.every(unambiguous)
  if (typeof value === "object") {
    return Object.entries(value as Record<string, unknown>).every(
      ([key, inner]) => unambiguous(key) && unambiguous(inner)
    )
  }
  return false
}

/**
 * Renders data as YAML that both YAML 1.1 (go-yaml, kubectl) and YAML 1.2 (what we read with) take back as the
 * same data; when a plain string would be ambiguous, every string is double-quoted instead. Data whose every
 * leaf is unambiguous skips reading the text back twice, and is usually written by emit.ts (the library's
 * output without running the library: most of a cold write's cost).
 */
export const renderDocument = (data: unknown): string => {
  if (unambiguous(data)) return emitDocument(data) ?? YAML.stringify(data, renderOptions)
  const plain = YAML.stringify(data, renderOptions)
  if (readsBack(plain, data)) return plain
  // every string value double-quoted; keys stay plain (kubectl's look) unless one of them is ambiguous too
  const quoted = YAML.stringify(data, { ...renderOptions, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" })
  if (readsBack(quoted, data)) return quoted
  // JSON is YAML that both versions read alike (the yaml library renders a `<<` string plain even when told to quote)
  return `${JSON.stringify(data, null, 2)}\n`
}

export const renderScalar = (value: string): string => renderDocument(value).trimEnd()

const withNewline = (text: string, newline: string): string => (newline === "\n" ? text : text.replace(/\n/g, newline))

/** One sequence entry (`- name: ...`), every line ending with a newline, its `-` at column `indent`. */
export const renderItem = (value: unknown, indent: number, newline: string): string => {
  const pad = " ".repeat(indent)
  const lines = renderDocument(value).replace(/\n$/, "").split("\n")
  const out = lines.map((line, index) => (line === "" ? "" : `${pad}${index === 0 ? "- " : "  "}${line}`))
  return withNewline(`${out.join("\n")}\n`, newline)
}

/** A top-level `key: value` block (value rendered at the top mapping's indentation). */
export const renderTopLevel = (key: string, value: unknown, indent: number, newline: string): string => {
  const pad = " ".repeat(indent)
  const lines = renderDocument({ [key]: value })
    .replace(/\n$/, "")
    .split("\n")
  return withNewline(`${lines.map((line) => (line === "" ? "" : pad + line)).join("\n")}\n`, newline)
}
