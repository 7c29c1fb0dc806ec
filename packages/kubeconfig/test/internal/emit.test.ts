import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import fc from "fast-check"
import * as YAML from "yaml"
import { emitDocument } from "../../src/internal/emit.js"
import { addToText } from "../../src/internal/merge.js"
import { renderOptions } from "../../src/internal/render.js"
import { fetchedKubeconfig } from "../fixtures/fetched.js"

/** What the yaml library writes: the oracle emit.ts must match byte for byte whenever it answers. */
const library = (data: unknown) => YAML.stringify(data, renderOptions)

// strings near every boundary the library decides on: indicators, quotes, spaces, keywords, numbers, dates
const tricky = fc.constantFrom(
  ...[
    "",
    " ",
    " x",
    "x ",
    "a: b",
    "a:",
    "a:b",
    "#x",
    "x #y",
    "x#y",
    "-",
    "-x",
    "- x",
    "?",
    "?x",
    ":x",
    "@x",
    "%x",
    "`x"
  ],
  ...["'x", '"x', "x'y", 'x"y', "a\\b", "a\nb", "tab\tx", "é", "---", "--- x", "...", "~", "=", "=x", "+x", "/x", ".x"],
  ...["y", "Y", "n", "N", "yes", "Yes", "YES", "no", "NO", "on", "On", "off", "OFF", "true", "True", "false", "null"],
  ...["Null", "NULL", "NaN", ".nan", ".inf", "-.inf", "e0", "E1", "1e3", "0x1F", "0o17", "0b10", "017", "12", "1_000"],
  ...["1:20", "1.5", "+1", "-1", "2026-12-01", "2026-12-01T16:31:54.330Z", "2026-12-01T16:31:54Z", "2026-12-01 10:00"],
  ...["https://127.0.0.1:6443", "kubecred.io/provenance", "LS0tLS1CRUdJTiBDRVJU+/=", "0LS0t", "100052051623"]
)
const text = fc.oneof(
  tricky,
  fc.stringMatching(/^[a-z][a-z0-9.-]{0,12}$/),
  fc.string({
    maxLength: 8,
    unit: fc.constantFrom("a", "Z", "0", "9", " ", ":", "-", "#", ".", "'", '"', "/", "+", "=")
  }),
  fc.string({ maxLength: 6 })
)
const leaf = fc.oneof(text, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.integer())
const data = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("map"), tie("list")),
  map: fc.dictionary(text, tie("value"), { maxKeys: 4 }),
  list: fc.array(tie("value"), { maxLength: 3 })
})).value

const kubeconfig = (): Record<string, unknown> => {
  const added = addToText("/tmp/config", "", fetchedKubeconfig({ provider: "alibaba", region: "cn-hangzhou" }), {})
  if (Either.isLeft(added)) throw new Error(added.left.message)
  return YAML.parse(added.right.text) as Record<string, unknown>
}

describe("emitDocument", () => {
  it("writes exactly what the yaml library writes, or leaves the data to it", () => {
    fc.assert(
      fc.property(data, (value) => {
        const emitted = emitDocument(value)
        if (emitted !== undefined) expect(emitted).toBe(library(value))
      }),
      { numRuns: 3000 }
    )
  })

  it("answers for what an add writes: a whole kubeconfig, its entries, and each boundary string it knows", () => {
    const document = kubeconfig()
    expect(emitDocument(document)).toBe(library(document))
    for (const key of ["clusters", "users", "contexts"]) {
      for (const entry of document[key] as Array<unknown>) expect(emitDocument(entry)).toBe(library(entry))
    }
    const certain = ["", " x", "a:b", "e0", "yes", "Null", "12", "2026-12-01T16:31:54.330Z", "https://h:6443", "x=y"]
    for (const value of certain)
      expect(emitDocument({ key: value, list: [value] })).toBe(library({ key: value, list: [value] }))
    expect(
      emitDocument({ preferences: {}, list: [], nested: [{}, [], { a: undefined }], none: null, enabled: true })
    ).toBe(library({ preferences: {}, list: [], nested: [{}, [], { a: undefined }], none: null, enabled: true }))
  })

  it("leaves to the library what it is not sure of", () => {
    for (const value of ["a: b", "x #y", "-x", "é", 'q"q', "a\\b", "1.5", "0x1F", "a\nb"]) {
      expect(emitDocument({ key: value })).toBeUndefined()
    }
    expect(emitDocument({ n: 1 })).toBeUndefined()
    expect(emitDocument({ "a b": "x" })).toBeUndefined()
    expect(emitDocument({ list: [["x"]] })).toBeUndefined()
    expect(emitDocument({ when: new Date(0) })).toBeUndefined()
    expect(emitDocument({ ["k".repeat(1025)]: "x" })).toBeUndefined()
  })
})
