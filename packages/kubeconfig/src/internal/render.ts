/**
 * Rendering entries in kubectl's own style: keys sorted, sequences not indented under their key, no line
 * folding, and YAML that YAML 1.1 (go-yaml, kubectl) and YAML 1.2 (what kubecred reads with) take back as the
 * same data.
 */
import * as YAML from "yaml"

/** YAML 1.1 output, so that go-yaml (kubectl) reads strings like `yes` or `on` as strings too. */
const renderOptions = {
  version: "1.1",
  lineWidth: 0,
  minContentWidth: 0,
  indentSeq: false,
  sortMapEntries: true
} as const

const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner
  )

const sameData = (a: unknown, b: unknown): boolean => sortedJson(a) === sortedJson(b)

/**
 * Renders data as YAML that both YAML 1.1 (go-yaml, kubectl) and YAML 1.2 (what we read with) take back as the
 * same data; when a plain string would be ambiguous, every string is double-quoted instead.
 */
export const renderDocument = (data: unknown): string => {
  const plain = YAML.stringify(data, renderOptions)
  if (sameData(YAML.parse(plain), data) && sameData(YAML.parse(plain, { version: "1.1" }), data)) return plain
  return YAML.stringify(data, { ...renderOptions, defaultStringType: "QUOTE_DOUBLE", defaultKeyType: "PLAIN" })
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
