import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import fc from "fast-check"
import { renderDocument } from "../../src/internal/render.js"
import { fastScan } from "../../src/internal/fastScan.js"
import { parseDocumentSource, parseSource } from "../../src/internal/source.js"
import { addToText } from "../../src/internal/merge.js"
import { FOREIGN, fetchedKubeconfig } from "../fixtures/fetched.js"

const nameArb = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/),
  fc.constantFrom("yes", "on", "null", "1.5", "0x1F", "a b", "x#y", "-", "true", "é", "it's", 'q"q', "", "e0")
)

const kubeconfigArb = fc
  .record({
    names: fc.uniqueArray(nameArb, { maxLength: 4 }),
    current: fc.option(nameArb, { nil: undefined }),
    skipTls: fc.boolean(),
    emptyStyle: fc.constantFrom("null", "[]", "absent")
  })
  .map(({ names, current, skipTls, emptyStyle }) => {
    const list = <A>(items: Array<A>) =>
      items.length > 0 ? items : emptyStyle === "null" ? null : emptyStyle === "[]" ? [] : undefined
    const data: Record<string, unknown> = {
      apiVersion: "v1",
      kind: "Config",
      preferences: {},
      clusters: list(
        names.map((name) => ({
          name,
          cluster: { server: `https://${name}:6443`, ...(skipTls ? { "insecure-skip-tls-verify": true } : {}) }
        }))
      ),
      contexts: list(
        names.map((name) => ({
          name,
          context: { cluster: name, user: name, extensions: [{ name: "x", extension: { a: [name, "b"] } }] }
        }))
      ),
      users: list(names.map((name) => ({ name, user: { token: `t-${name}`, "as-groups": ["g1", name] } })))
    }
    if (current !== undefined) data["current-context"] = current
    for (const key of Object.keys(data)) if (data[key] === undefined) delete data[key]
    return renderDocument(data)
  })

/** What both parsers must agree on. */
const view = (model: NonNullable<ReturnType<typeof fastScan>>) => ({
  data: model.data,
  mode: model.mode,
  currentContext: model.currentContext,
  lists: Object.fromEntries(
    Object.entries(model.lists).map(([key, list]) => [
      key,
      { ...list, entries: list.entries.map(({ name, start, end }) => ({ name, start, end })) }
    ])
  )
})

describe("fastScan", () => {
  it("agrees with the Document API on every file it accepts, and accepts kubectl's plain style", () => {
    let accepted = 0
    fc.assert(
      fc.property(kubeconfigArb, (text) => {
        const slow = parseDocumentSource("f", text)
        const fast = fastScan("f", text)
        if (fast === undefined) return
        accepted++
        if (Either.isLeft(slow))
          throw new Error(`fast path accepted what the Document API rejects: ${slow.left.message}`)
        const expected = view(slow.right)
        // absent lists sit at the end of the top mapping in both
        expect(view(fast)).toEqual(expected)
      }),
      { numRuns: 300 }
    )
    expect(accepted).toBeGreaterThan(50)
  })

  it("reads an empty text (a file not written yet) as the Document API does, without it", () => {
    const slow = parseDocumentSource("f", "")
    const fast = parseSource("f", "")
    expect(Either.isRight(slow) && Either.isRight(fast)).toBe(true)
    expect(Either.getOrThrow(fast)).toEqual(Either.getOrThrow(slow))
  })

  it("takes the fast path for files kubecred and kubectl write, including after edits", () => {
    let text = renderDocument({
      apiVersion: "v1",
      kind: "Config",
      clusters: null,
      contexts: null,
      users: null,
      "current-context": ""
    })
    expect(fastScan("f", text)).toBeDefined()
    for (const clusterId of ["cls-aaaa0001", "cls-aaaa0002"]) {
      const outcome = addToText("f", text, fetchedKubeconfig({ clusterId }))
      if (Either.isLeft(outcome)) throw outcome.left
      text = outcome.right.text
      const fast = fastScan("f", text)
      expect(fast).toBeDefined()
      const slow = parseDocumentSource("f", text)
      if (Either.isLeft(slow)) throw slow.left
      expect(view(fast!)).toEqual(view(slow.right))
    }
  })

  it("leaves comments, flow style, blank lines, CRLF and odd scalars to the Document API", () => {
    for (const text of [
      FOREIGN,
      "apiVersion: v1\n\nkind: Config\n",
      "apiVersion: v1\r\nkind: Config\r\n",
      "clusters: [{name: a}]\n",
      "current-context: a # why\n",
      "current-context: 'it''s'\n",
      'current-context: "a\\"b"\n',
      "current-context: multi\n  line\n",
      "a: &x 1\nb: *x\n",
      "clusters:\n- - a\n"
    ]) {
      expect(fastScan("f", text)).toBeUndefined()
    }
  })
})
