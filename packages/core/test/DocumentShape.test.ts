import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { decodeShaped, encodeDecoded, isKubeconfigShape } from "../src/internal/documentShape.js"
import { schemas } from "../src/KubeconfigDocument.js"

const options = { onExcessProperty: "preserve" } as const
const schemaSays = (data: unknown) =>
  Either.isRight(Schema.decodeUnknownEither(Schema.encodedSchema(schemas().KubeconfigDocument), options)(data))

/** Each user's secret fields: whether they are Redacted, and what they hold. */
const secrets = (document: unknown) =>
  ((document as { users?: unknown }).users as Array<{ user: Record<string, unknown> }> | null | undefined)?.map(
    ({ user }) =>
      ["client-key-data", "token", "password"].map((field) => {
        const value = user?.[field]
        return Redacted.isRedacted(value) ? ["redacted", Redacted.value(value)] : [typeof value, value]
      })
  )

/** Values near the kubeconfig shape: right fields with right and wrong types. */
const leaf = fc.oneof(
  fc.string({ maxLength: 3 }),
  fc.boolean(),
  fc.constant(null),
  fc.integer(),
  fc.constant({}),
  fc.constant([])
)
const maybe = <A>(arb: fc.Arbitrary<A>) => fc.oneof({ weight: 3, arbitrary: arb }, { weight: 1, arbitrary: leaf })
const ext = fc.array(maybe(fc.record({ name: maybe(fc.string()), extension: leaf }, { requiredKeys: ["extension"] })), {
  maxLength: 2
})
const clusterArb = fc.record(
  {
    server: maybe(fc.string()),
    "insecure-skip-tls-verify": maybe(fc.boolean()),
    "proxy-url": maybe(fc.string()),
    extensions: maybe(ext)
  },
  { requiredKeys: [] }
)
const userArb = fc.record(
  {
    token: maybe(fc.string()),
    "client-key-data": maybe(fc.string()),
    password: maybe(fc.string()),
    "as-groups": maybe(fc.array(maybe(fc.string()), { maxLength: 2 })),
    exec: maybe(
      fc.record(
        {
          apiVersion: maybe(fc.string()),
          command: maybe(fc.string()),
          env: maybe(
            fc.oneof(fc.constant(null), fc.array(fc.record({ name: fc.string(), value: maybe(fc.string()) })))
          ),
          interactiveMode: maybe(fc.constantFrom("Never", "Always", "Sometimes"))
        },
        { requiredKeys: [] }
      )
    )
  },
  { requiredKeys: [] }
)
const contextArb = fc.record(
  { cluster: maybe(fc.string()), user: maybe(fc.string()), namespace: maybe(fc.string()) },
  { requiredKeys: [] }
)
const named = (body: string, arb: fc.Arbitrary<unknown>) =>
  fc.record({ name: maybe(fc.string()), [body]: maybe(arb) }, { requiredKeys: [] })
const documentArb = fc.record(
  {
    apiVersion: fc.oneof(fc.constant("v1"), leaf),
    kind: fc.oneof(fc.constant("Config"), leaf),
    clusters: maybe(fc.array(named("cluster", clusterArb), { maxLength: 2 })),
    users: maybe(fc.array(named("user", userArb), { maxLength: 2 })),
    contexts: maybe(fc.array(named("context", contextArb), { maxLength: 2 })),
    "current-context": maybe(fc.string()),
    preferences: maybe(fc.record({ colors: maybe(fc.boolean()) }, { requiredKeys: [] })),
    "x-other": leaf
  },
  { requiredKeys: [] }
)

describe("shape", () => {
  it("says exactly what core's KubeconfigDocument schema says", () => {
    let valid = 0
    fc.assert(
      fc.property(documentArb, (data) => {
        const expected = schemaSays(data)
        if (expected) valid++
        expect(isKubeconfigShape(data)).toBe(expected)
      }),
      { numRuns: 2000 }
    )
    expect(valid).toBeGreaterThan(20)
  })

  it("decodes and encodes what it accepts exactly as the schema does", () => {
    const decode = Schema.decodeUnknownSync(schemas().KubeconfigDocument, options)
    const encode = Schema.encodeSync(schemas().KubeconfigDocument)
    let checked = 0
    fc.assert(
      fc.property(documentArb, (data) => {
        if (!isKubeconfigShape(data)) return
        checked++
        const bySchema = decode(data)
        const fast = decodeShaped(data)
        expect(secrets(fast)).toEqual(secrets(bySchema))
        expect(encodeDecoded(fast)).toEqual(encode(bySchema))
        expect(encodeDecoded(fast)).toEqual(data)
      }),
      { numRuns: 2000 }
    )
    expect(checked).toBeGreaterThan(20)
  })
})
