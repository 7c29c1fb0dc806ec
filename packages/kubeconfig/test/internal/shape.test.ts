import { describe, expect, it } from "@effect/vitest"
import { KubeconfigDocument } from "@kubecred/core/KubeconfigDocument"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import fc from "fast-check"
import { isKubeconfigShape } from "../../src/internal/shape.js"

const schemaSays = (data: unknown) =>
  Either.isRight(
    Schema.decodeUnknownEither(Schema.encodedSchema(KubeconfigDocument), { onExcessProperty: "preserve" })(data)
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
})
