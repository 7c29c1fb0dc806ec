/** The default (http) path never loads the Alibaba SDK: importing it here would throw. */
import { expect, layer } from "@effect/vitest"
import { vi } from "vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import { client, mockLayer, runningCluster, variants, withPolicies } from "./fixtures.js"

vi.mock("@alicloud/cs20151215", () => {
  throw new Error("@alicloud/cs20151215 was loaded on the http path")
})
vi.mock("@alicloud/openapi-core", () => {
  throw new Error("@alicloud/openapi-core was loaded on the http path")
})

layer(mockLayer(), { excludeTestServices: true, timeout: Duration.seconds(60) })("lazy SDK", (it) => {
  it.scoped("an http client fetches and lists without the SDK", () =>
    withPolicies(
      Effect.gen(function* () {
        const source = yield* client(variants[0]!)
        const fetched = yield* source.fetch({
          _tag: "alibaba",
          region: "cn-hangzhou",
          clusterId: yield* runningCluster(),
          endpoint: "public"
        } as AlibabaFetchRequest)
        expect(fetched.attempts).toBe(1)
      })
    )
  )

  it.scoped("choosing the sdk transport is what loads it (here: fails, the import being poisoned)", () =>
    withPolicies(
      Effect.gen(function* () {
        const source = yield* client(variants[1]!)
        const error = yield* Effect.flip(
          source.fetch({
            _tag: "alibaba",
            region: "cn-hangzhou",
            clusterId: yield* runningCluster(),
            endpoint: "public"
          } as AlibabaFetchRequest)
        )
        expect(error.message).toContain("cannot load @alicloud/cs20151215")
      })
    )
  )
})
