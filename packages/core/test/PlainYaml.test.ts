import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import { dump, load } from "js-yaml"
import * as YAML from "yaml"
import { readPlainYaml } from "../src/internal/plainYaml.js"

/** js-yaml as ProviderKubeconfig calls it: the oracle whenever plainYaml.ts answers. */
const oracle = (text: string): { readonly value: unknown } | undefined => {
  try {
    return { value: load(text, { maxAliases: 0 }) }
  } catch {
    return undefined
  }
}

/**
 * The same value, key order and prototypes included (vitest's equality reads a `constructor` key as the type,
 * and YAML keys can be `constructor`).
 */
const same = (a: unknown, b: unknown): boolean => {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]))
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = Object.keys(a)
    return (
      Object.getPrototypeOf(a) === Object.getPrototypeOf(b) &&
      JSON.stringify(keys) === JSON.stringify(Object.keys(b)) &&
      keys.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    )
  }
  return Object.is(a, b)
}

const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${body}\n-----END ${label}-----\n`
const b64 = (text: string) => Buffer.from(text).toString("base64")

/** A kubeconfig as the clouds hand one out (ACK names its user with the account's digits). */
const answer = {
  apiVersion: "v1",
  clusters: [
    {
      cluster: {
        "certificate-authority-data": b64(pem("CERTIFICATE", "MIIBszCCAVmgAwIBAgIUR".repeat(20))),
        server: "https://127.0.0.1:6443",
        "tls-server-name": "c598dd6cdb69d2eec.alibaba.kubecred.mock"
      },
      name: "kubernetes"
    }
  ],
  contexts: [
    { context: { cluster: "kubernetes", user: "27654321", namespace: "default" }, name: "27654321-c598dd6cdb69d2eec" }
  ],
  "current-context": "27654321-c598dd6cdb69d2eec",
  kind: "Config",
  preferences: {},
  users: [
    {
      name: "27654321",
      user: {
        "client-certificate-data": b64(pem("CERTIFICATE", "MIIB".repeat(300))),
        "client-key-data": b64(pem("EC PRIVATE KEY", "MHcCAQEEI".repeat(12)))
      }
    }
  ]
}

/** The ways a kubeconfig gets written: the yaml library (the mock's and kubecred's way, and kubectl's layout) and js-yaml. */
const renderings = (data: unknown): Array<string> => [
  YAML.stringify(data),
  YAML.stringify(data, { indentSeq: false }),
  YAML.stringify(data, { indentSeq: false, lineWidth: 0, minContentWidth: 0 }),
  dump(data),
  dump(data, { sortKeys: true })
]

const tricky = fc.constantFrom(
  ...["", " ", " x", "x ", "a: b", "a:", "a:b", "a:b:", "#x", "x #y", "x#y", "-", "-x", "- x", "?", "?x", ":x", "@x"],
  ...["%x", "`x", "'x", '"x', "x'y", 'x"y', "a\\b", "a\nb", "tab\tx", "é", "---", "...", "~", "=", "+x", "/x", ".x"],
  ...["y", "n", "yes", "no", "on", "off", "true", "True", "TRUE", "tRue", "false", "FALSE", "null", "Null", "NULL"],
  ...["nULL", "NaN", ".nan", ".inf", "-.inf", "e0", "E1", "1e3", "0x1F", "0o17", "0b10", "017", "12", "1_000", "1:20"],
  ...["1.5", "+1", "-1", "2026-12-01", "2026-12-01T16:31:54Z", "https://127.0.0.1:6443", "kubecred.io/provenance"],
  ...["LS0tLS1CRUdJTiBDRVJU+/=", "0LS0t", "100052051623", "__proto__", "constructor", "a b", "a\u00a0b", "\u2028"]
)
const text = fc.oneof(
  tricky,
  fc.stringMatching(/^[a-z_/][a-z0-9_./+=:@%-]{0,12}$/),
  fc.string({ maxLength: 8, unit: fc.constantFrom("a", "Z", "0", " ", ":", "-", "#", ".", "'", '"', "/", "@", "_") }),
  fc.string({ maxLength: 6 }),
  fc.string({ maxLength: 4, unit: "binary" })
)
const leaf = fc.oneof(text, fc.boolean(), fc.constant(null), fc.integer())
const data = fc
  .letrec((tie) => ({
    value: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("map"), tie("list")),
    map: fc.dictionary(fc.oneof(text, fc.stringMatching(/^[a-z][a-z0-9.-]{0,8}$/)), tie("value"), { maxKeys: 4 }),
    list: fc.array(tie("value"), { maxLength: 3 })
  }))
  .value.map((value) => ({ kind: "Config", value }))

/** What can go wrong in a text: every YAML indicator, whitespace that is not a space, keywords, numbers. */
const pieces = fc.constantFrom(
  ...[" ", "  ", "\n", "\n\n", "- ", "-", ": ", ":", "#", " #x", "&a ", "*a", "!t ", "!!str ", "{", "}", "[", "]"],
  ...["'", '"', "\\", "\t", "\r", "|", ">", "---\n", "...\n", "? ", "%", "@", "`", ",", "~", "null", "True", "1"],
  ...["__proto__: x\n", "a: b\n", "kind: x\n", "\u00a0", "é", "0x1", "1e3", "2026-12-01", "\ufeff", "\u0085", "\u0000"]
)

describe("readPlainYaml", () => {
  it("reads the clouds' answers, in every common layout, to what js-yaml reads", () => {
    for (const rendering of renderings(answer)) {
      const plain = readPlainYaml(rendering)
      expect(plain, rendering).toBeDefined()
      expect(same(plain?.value, load(rendering))).toBe(true)
      expect(plain?.value).toStrictEqual(answer)
    }
  })

  it("answers what js-yaml answers for any rendered document, or nothing", () => {
    let answered = 0
    let asked = 0
    fc.assert(
      fc.property(data, (value) => {
        for (const rendering of renderings(value)) {
          asked++
          const plain = readPlainYaml(rendering)
          if (plain === undefined) continue
          answered++
          expect(same(plain.value, oracle(rendering)?.value), rendering).toBe(true)
        }
      }),
      { numRuns: 400 }
    )
    // the subset is most of what gets written: the property is not met by always falling back
    expect(answered / asked).toBeGreaterThan(0.25)
  })

  it("never answers a text js-yaml refuses, and answers any other as js-yaml does", () => {
    // short certificate data, so that most edits land in the structure
    const base = YAML.stringify(answer, { indentSeq: false }).replace(/-data: \S+/g, "-data: LS0tLS1CRUdJTg==")
    let answered = 0
    let fellBack = 0
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat({ max: base.length }), pieces), { minLength: 1, maxLength: 3 }), (edits) => {
        let mutated = base
        for (const [at, piece] of edits) mutated = mutated.slice(0, at) + piece + mutated.slice(at)
        const plain = readPlainYaml(mutated)
        if (plain === undefined) {
          fellBack++
          return
        }
        answered++
        const expected = oracle(mutated)
        expect(expected, mutated).toBeDefined()
        expect(same(plain.value, expected?.value), mutated).toBe(true)
      }),
      { numRuns: 3000 }
    )
    expect(answered).toBeGreaterThan(120)
    expect(fellBack).toBeGreaterThan(300)
  })

  it("reads blank lines, whole-line comments, empty values, keywords and quotes", () => {
    const text = [
      "# written by hand",
      "a: b",
      "",
      "empty:",
      "tilde: ~",
      "yes: true",
      "no: False",
      "nothing: NULL",
      "quoted: 'x: #y'",
      'double: "it\'s"',
      "list:",
      "- x",
      "  # between items",
      "- k: v",
      "  nested:",
      "  - a1",
      "map:",
      "    deep: {}",
      "    deeper: []",
      "date: 2026-12-01",
      "digits: 27654321-c598dd6cdb69d2eec"
    ].join("\n")
    expect(same(readPlainYaml(text)?.value, load(text))).toBe(true)
    expect(readPlainYaml(text)?.value).toMatchObject({
      empty: null,
      tilde: null,
      yes: true,
      no: false,
      nothing: null,
      date: "2026-12-01"
    })
  })

  it.each([
    ["an anchor and its alias", "a: &x b\nc: *x"],
    ["a tag", "a: !!str b"],
    ["a flow mapping", "a: {b: c}"],
    ["a block scalar", "a: |\n  x"],
    ["a comment after a value", "a: b # c"],
    ["a tab", "a:\n\tb: c"],
    ["CRLF", "a: b\r\nc: d\r\n"],
    ["a duplicate key", "a: b\na: c"],
    ["__proto__", "__proto__: x"],
    ["a key that is a keyword", "True: x"],
    ["a document marker", "---\na: b"],
    ["a number", "a: 1"],
    ["a space inside a plain scalar", "a: b c"],
    ["a multi-line plain scalar", "a: b\n  c"],
    ["an indent that is not spaces", "a:\n\u00a0 b: c"],
    ["a trailing space", "a: b "],
    ["a quote with an escape", 'a: "b\\"c"'],
    ["an empty text", ""],
    ["a scalar document", "abc"],
    ["an indented document", "  a: b"],
    ["a nested sequence on one line", "- - a"],
    ["an over-indented line", "a: b\n  c: d"],
    ["deep nesting", `${Array.from({ length: 70 }, (_, i) => `${" ".repeat(i * 2)}k:`).join("\n")} x`]
  ])("falls back on %s", (_, text) => {
    expect(readPlainYaml(text)).toBeUndefined()
  })
})
