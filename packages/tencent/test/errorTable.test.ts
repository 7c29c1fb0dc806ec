/**
 * Every TKE code of docs/contracts/tke.md "Error codes", provoked over the real wire through the mock's fault injection, over
 * both transports: each becomes exactly its taxonomy class, and only retryable classes are ever retried.
 */
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as TkeClient from "../src/TkeClient.js"
import {
  MockCloudServer,
  fastPacing,
  mockWithClient,
  requestsOf,
  setFaults,
  transports,
  withPolicy
} from "./support/mock.js"
import { describeClustersCodes, tkeErrorTable } from "./tkeErrorTable.js"

const tagOf = new Map(tkeErrorTable)

/** Requests one call makes under a fault that never stops: 1 unless the class is retried. */
const expectedRequests = (tag: string) =>
  tag === "Throttled" || tag === "ProviderInternal" ? 3 : tag === "ClusterUnavailable" ? 2 : 1

const policy = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  effect.pipe(withPolicy({ maxRetries: 2, unavailableMaxRetries: 1 }), fastPacing)

for (const transport of transports) {
  layer(mockWithClient(transport), { excludeTestServices: true })(`TKE error table over ${transport}`, (it) => {
    it.effect(`DescribeClusterKubeconfig: all ${tkeErrorTable.length} codes`, () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const client = yield* TkeClient.TkeClient
        const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
        const seen: Array<readonly [string, string, number]> = []
        for (const [code] of tkeErrorTable) {
          yield* setFaults(mock, [{ provider: "tencent", action: "DescribeClusterKubeconfig", error: { code } }])
          const before = requestsOf(mock, "DescribeClusterKubeconfig")
          const error = yield* Effect.flip(
            client.fetch({
              _tag: "tencent",
              region: cluster.region as never,
              clusterId: cluster.clusterId as never,
              endpoint: "public"
            })
          )
          seen.push([code, error._tag, requestsOf(mock, "DescribeClusterKubeconfig") - before])
          if (
            error._tag !== "InvalidInput" &&
            error._tag !== "Transport" &&
            error._tag !== "CredentialsMissing" &&
            error._tag !== "BoundExceeded"
          ) {
            expect(error.code).toBe(code)
            expect(error.requestId).toMatch(/^[0-9a-f-]{36}$/)
          } else {
            expect(error.message).toContain(code)
          }
        }
        yield* setFaults(mock, [])
        expect(seen).toEqual(tkeErrorTable.map(([code, tag]) => [code, tag, expectedRequests(tag)]))
      }).pipe(policy)
    )

    it.effect(`DescribeClusters: its ${describeClustersCodes.length} codes`, () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const client = yield* TkeClient.TkeClient
        const seen: Array<readonly [string, string, number]> = []
        for (const code of describeClustersCodes) {
          yield* setFaults(mock, [{ provider: "tencent", action: "DescribeClusters", error: { code } }])
          const before = requestsOf(mock, "DescribeClusters")
          const error = yield* Effect.flip(Stream.runDrain(client.listClusters({ regions: ["ap-guangzhou"] })))
          seen.push([code, error._tag, requestsOf(mock, "DescribeClusters") - before])
        }
        yield* setFaults(mock, [])
        expect(seen).toEqual(
          describeClustersCodes.map((code) => [code, tagOf.get(code)!, expectedRequests(tagOf.get(code)!)])
        )
      }).pipe(policy)
    )
  })
}
