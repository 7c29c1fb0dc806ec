import { expect, layer } from "@effect/vitest"
import { ClusterNotFound } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import * as YAML from "yaml"
import { dispose, fetchKubeconfig, listClusters } from "../src/Promise.js"
import { MockCloudServer, credentialsOf, isolated } from "./support/mock.js"
import { layer as mockLayer } from "@kubecred/mock-cloud"

layer(mockLayer({ tencentRateLimit: 10_000 }), { excludeTestServices: true })("Promise facade", (it) => {
  it.effect("fetchKubeconfig resolves YAML, expiry and request id (public endpoint by default)", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
      for (const transport of ["http", "sdk"] as const) {
        const result = yield* Effect.promise(() =>
          fetchKubeconfig({
            ...isolated,
            env: { TENCENTCLOUD_REGION: cluster.region },
            clusterId: cluster.clusterId,
            apiEndpoint: mock.tencent.endpoint,
            credentials: credentialsOf(mock),
            transport
          })
        )
        const config = YAML.parse(result.kubeconfig)
        expect(config.clusters[0].cluster.server).toBe(mock.apiserver)
        expect(typeof config.users[0].user["client-key-data"]).toBe("string")
        expect(result.expiresAt).toBeInstanceOf(Date)
        expect(result.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 19 * 365 * 24 * 3600_000)
        expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/)
      }
    })
  )

  it.effect("rejects with the tagged error instance", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const error = yield* Effect.flip(
        Effect.tryPromise({
          try: () =>
            fetchKubeconfig({
              ...isolated,
              region: "ap-guangzhou",
              clusterId: "cls-zzzzzzzz",
              apiEndpoint: mock.tencent.endpoint,
              credentials: credentialsOf(mock)
            }),
          catch: (error) => error
        })
      )
      expect(error).toBeInstanceOf(ClusterNotFound)
      expect((error as ClusterNotFound)._tag).toBe("ClusterNotFound")
      const noRegion = yield* Effect.flip(
        Effect.tryPromise({
          try: () => fetchKubeconfig({ ...isolated, clusterId: "cls-zzzzzzzz", credentials: credentialsOf(mock) }),
          catch: (error) => error as { _tag: string; field?: string }
        })
      )
      expect(noRegion).toMatchObject({ _tag: "InvalidInput", field: "region" })
    })
  )

  it.effect("listClusters collects every page of every region", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const regions = ["ap-guangzhou", "ap-beijing"]
      const all = yield* Effect.promise(() =>
        listClusters({ ...isolated, regions, apiEndpoint: mock.tencent.endpoint, credentials: credentialsOf(mock) })
      )
      const expected = mock.tencent.clusters.filter((c) => regions.includes(c.region) && c.status !== "Deleted")
      expect(all.map((c) => c.clusterId).sort()).toEqual(expected.map((c) => c.clusterId).sort())
    })
  )

  it.effect("calls with one configuration share one runtime: 30 at once are paced together under TKE's 20/s", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
      yield* Effect.sync(() => mock.setRateLimit("tencent", 20))
      const options = {
        ...isolated,
        region: cluster.region,
        clusterId: cluster.clusterId,
        apiEndpoint: mock.tencent.endpoint,
        credentials: credentialsOf(mock)
      }
      const before = mock.stats().requests["tencent:DescribeClusterKubeconfig"] ?? 0
      const results = yield* Effect.promise(() =>
        Promise.all(Array.from({ length: 30 }, () => fetchKubeconfig(options)))
      )
      // one pacer for all of them: no call was throttled and retried
      expect(results.map((r) => r.attempts)).toEqual(Array.from({ length: 30 }, () => 1))
      expect((mock.stats().requests["tencent:DescribeClusterKubeconfig"] ?? 0) - before).toBe(30)
      expect(results[0]!.identity).toMatch(/./)
      yield* Effect.sync(() => mock.setRateLimit("tencent", 10_000))
    })
  )

  it.effect("an aborted signal rejects the call, as on ACK", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
      const controller = new AbortController()
      controller.abort()
      const outcome = yield* Effect.promise(() =>
        fetchKubeconfig({
          ...isolated,
          region: cluster.region,
          clusterId: cluster.clusterId,
          apiEndpoint: mock.tencent.endpoint,
          credentials: credentialsOf(mock),
          signal: controller.signal
        }).then(
          () => "resolved",
          () => "rejected"
        )
      )
      expect(outcome).toBe("rejected")
      yield* Effect.promise(() => dispose())
    })
  )
})
