import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import fc from "fast-check"
import * as YAML from "yaml"
import { type AddOptions, addToText, removeFromText } from "../../src/internal/merge.js"
import { type FetchedSpec, fetchedKubeconfig } from "../fixtures/fetched.js"

const nameArb = fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/)

/** A foreign kubeconfig in one of several hand-written styles, with comments. */
const foreignArb = fc
  .record({
    names: fc.uniqueArray(nameArb, { minLength: 0, maxLength: 5 }),
    indentSeq: fc.boolean(),
    comments: fc.boolean(),
    current: fc.boolean(),
    finalNewline: fc.boolean()
  })
  .map(({ names, indentSeq, comments, current, finalNewline }) => {
    const doc = new YAML.Document({
      apiVersion: "v1",
      kind: "Config",
      clusters: names.map((name) => ({ name, cluster: { server: `https://${name}.example.test` } })),
      contexts: names.map((name) => ({ name, context: { cluster: name, user: name } })),
      ...(current && names.length > 0 ? { "current-context": names[0] } : {}),
      users: names.map((name) => ({ name, user: { token: `t-${name}` } }))
    })
    if (comments) doc.commentBefore = " my clusters"
    if (comments && names.length > 0) doc.comment = " the end"
    const text = doc.toString({ indentSeq })
    return finalNewline ? text : text.replace(/\n$/, "")
  })

const specArb: fc.Arbitrary<FetchedSpec> = fc.record({
  provider: fc.constantFrom("tencent" as const, "alibaba" as const),
  region: fc.constantFrom("ap-guangzhou", "cn-hangzhou"),
  clusterId: fc.constantFrom("cls-aaaa1111", "cls-bbbb2222", "c0123456789"),
  endpoint: fc.constantFrom("public" as const, "private" as const)
})

const optionsArb: fc.Arbitrary<AddOptions> = fc.record(
  {
    setCurrent: fc.boolean(),
    onConflict: fc.constantFrom("overwrite" as const, "rename" as const, "skip" as const),
    contextName: nameArb
  },
  { requiredKeys: [] }
)

const add = (text: string, spec: FetchedSpec, options: AddOptions) => {
  const outcome = addToText("p", text, fetchedKubeconfig(spec), options)
  if (Either.isLeft(outcome)) throw outcome.left
  return outcome.right
}

const lists = (text: string) => {
  const doc = (YAML.parse(text) ?? {}) as Record<string, Array<{ name: string }> | null>
  return { clusters: doc.clusters ?? [], users: doc.users ?? [], contexts: doc.contexts ?? [] }
}

describe("Merge properties", () => {
  it("is idempotent: adding the same fetch again changes nothing", () => {
    fc.assert(
      fc.property(foreignArb, specArb, optionsArb, (foreign, spec, options) => {
        const once = add(foreign, spec, options)
        const twice = add(once.text, spec, options)
        expect(twice.text).toBe(once.text)
        expect(twice.changed).toBe(false)
      }),
      { numRuns: 60 }
    )
  })

  it("leaves foreign entries untouched (without overwrite), and removing kubecred's restores the file", () => {
    fc.assert(
      fc.property(
        foreignArb,
        fc.array(specArb, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (foreign, specs, setCurrent) => {
          let text = foreign
          for (const spec of specs) text = add(text, spec, { setCurrent, onConflict: "rename" }).text
          const before = lists(foreign)
          const after = lists(text)
          for (const key of ["clusters", "users", "contexts"] as const) {
            for (const entry of before[key]) {
              expect(after[key].find((candidate) => candidate.name === entry.name)).toEqual(entry)
            }
          }
          let restored = text
          for (const provider of ["tencent", "alibaba"] as const) {
            const removed = removeFromText("p", restored, { provider })
            if (Either.isLeft(removed)) throw removed.left
            restored = removed.right.text
          }
          // Added and removed in a different order, the bytes can only come back when current-context did.
          if (!setCurrent || specs.length === 1) expect(restored).toBe(foreign)
          expect(lists(restored)).toEqual(before)
        }
      ),
      { numRuns: 60 }
    )
  })

  it("keeps names unique and every context's cluster and user present", () => {
    fc.assert(
      fc.property(
        foreignArb,
        fc.array(fc.tuple(specArb, optionsArb), { minLength: 1, maxLength: 5 }),
        (foreign, steps) => {
          let text = foreign
          for (const [spec, options] of steps) {
            const outcome = add(text, spec, options)
            text = outcome.text
            if (outcome.result.action !== "skipped") {
              expect(lists(text).contexts.map((entry) => entry.name)).toContain(outcome.result.contextName)
            }
          }
          const after = lists(text)
          for (const key of ["clusters", "users", "contexts"] as const) {
            const names = after[key].map((entry) => entry.name)
            expect(new Set(names).size).toBe(names.length)
          }
          const clusterNames = new Set(after.clusters.map((entry) => entry.name))
          const userNames = new Set(after.users.map((entry) => entry.name))
          for (const context of after.contexts as unknown as Array<{ context: { cluster: string; user: string } }>) {
            expect(clusterNames.has(context.context.cluster)).toBe(true)
            expect(userNames.has(context.context.user)).toBe(true)
          }
        }
      ),
      { numRuns: 60 }
    )
  })
})
