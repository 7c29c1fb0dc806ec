/**
 * The contract suite: the same tests over both transports against the mock cloud, passing identically.
 */
import { expect, layer } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Chunk from "effect/Chunk"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Layer from "effect/Layer"
import * as DateTime from "effect/DateTime"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { X509Certificate } from "node:crypto"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as TkeClient from "../src/TkeClient.js"
import {
  MockCloudServer,
  credentialsOf,
  isolated,
  mockWithClient,
  requestsOf,
  setFaults,
  transports,
  withPolicy
} from "./support/mock.js"

const httpLayer = NodeHttpClient.layer

const fetchOf = (clusterId: string, endpoint: "public" | "private" = "public", region = "ap-guangzhou") =>
  Effect.flatMap(TkeClient.TkeClient, (client) =>
    client.fetch({ _tag: "tencent", region: region as never, clusterId: clusterId as never, endpoint })
  )

for (const transport of transports) {
  layer(mockWithClient(transport, { generate: { tencent: [{ region: "ap-chengdu", count: 230 }] } }), {
    excludeTestServices: true
  })(`TKE contract over the ${transport} transport`, (it) => {
    const running = (mock: {
      tencent: { clusters: ReadonlyArray<{ region: string; clusterId: string; status: string }> }
    }) => mock.tencent.clusters.find((c) => c.region === "ap-guangzhou" && c.status === "Running")!

    it.effect("fetches the public kubeconfig with expiry and identity from the client certificate", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const cluster = running(mock)
        const fetched = yield* fetchOf(cluster.clusterId, "public")
        const user = fetched.document.users![0]!
        const cert = new X509Certificate(Buffer.from(user.user["client-certificate-data"]!, "base64"))
        expect(fetched.document.clusters![0]!.cluster.server).toBe(mock.apiserver)
        expect(Option.map(fetched.expiresAt, DateTime.toEpochMillis)).toEqual(
          Option.some(new Date(cert.validTo).getTime())
        )
        expect(fetched.provenance).toMatchObject({
          provider: "tencent",
          region: "ap-guangzhou",
          clusterId: cluster.clusterId,
          endpoint: "public",
          identity: user.name,
          credential: "embedded"
        })
        expect(fetched.requestId).toMatch(/^[0-9a-f-]{36}$/)
        expect(fetched.attempts).toBe(1)
        // The client key is Redacted in the document.
        expect(Redacted.isRedacted(user.user["client-key-data"])).toBe(true)
        expect(JSON.stringify(fetched)).not.toContain(Redacted.value(user.user["client-key-data"]!))
      })
    )

    it.effect("fetches the private kubeconfig when asked (IsExtranet=false)", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const fetched = yield* fetchOf(running(mock).clusterId, "private")
        expect(fetched.document.clusters![0]!.cluster.server).toMatch(/^https:\/\/10\.\d+\.\d+\.\d+:443$/)
      })
    )

    it.effect("works with temporary (STS) credentials: X-TC-Token sent, not signed", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const client = yield* TkeClient.scoped({
          ...isolated,
          transport,
          endpoint: mock.tencent.endpoint,
          credentials: credentialsOf(mock, true)
        })
        const fetched = yield* client.fetch({
          _tag: "tencent",
          region: "ap-guangzhou" as never,
          clusterId: running(mock).clusterId as never,
          endpoint: "public"
        })
        expect(fetched.provenance.identity).toMatch(/^\d+$/)
      }).pipe(Effect.scoped, Effect.provide(httpLayer))
    )

    it.effect("unknown and deleted clusters are ClusterNotFound, not retried", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const deleted = mock.tencent.clusters.find((c) => c.status === "Deleted")!
        const before = requestsOf(mock, "DescribeClusterKubeconfig")
        const a = yield* Effect.flip(fetchOf("cls-zzzzzzzz"))
        const b = yield* Effect.flip(fetchOf(deleted.clusterId, "public", deleted.region))
        expect([a._tag, b._tag]).toEqual(["ClusterNotFound", "ClusterNotFound"])
        expect(requestsOf(mock, "DescribeClusterKubeconfig") - before).toBe(2)
        expect(a).toMatchObject({ clusterId: "cls-zzzzzzzz", region: "ap-guangzhou", code: expect.any(String) })
      })
    )

    it.effect("an abnormal cluster is ClusterUnavailable after its few longer retries", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const abnormal = mock.tencent.clusters.find((c) => c.status === "Abnormal" && c.region === "ap-guangzhou")!
        const before = requestsOf(mock, "DescribeClusterKubeconfig")
        const error = yield* Effect.flip(fetchOf(abnormal.clusterId))
        expect(error._tag).toBe("ClusterUnavailable")
        expect(requestsOf(mock, "DescribeClusterKubeconfig") - before).toBe(3)
      }).pipe(withPolicy({ unavailableMaxRetries: 2 }))
    )

    it.effect("a wrong secret key is AuthenticationFailed, not retried, and the key is nowhere in it", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const client = yield* TkeClient.scoped({
          ...isolated,
          transport,
          endpoint: mock.tencent.endpoint,
          credentials: { secretId: mock.tencent.secretId, secretKey: Redacted.make("wrong-secret-key-123") }
        })
        const before = requestsOf(mock, "DescribeClusterKubeconfig")
        const error = yield* Effect.flip(
          client.fetch({
            _tag: "tencent",
            region: "ap-guangzhou" as never,
            clusterId: running(mock).clusterId as never,
            endpoint: "public"
          })
        )
        expect(error).toMatchObject({ _tag: "AuthenticationFailed", code: "AuthFailure.SignatureFailure" })
        expect(requestsOf(mock, "DescribeClusterKubeconfig") - before).toBe(1)
        expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("wrong-secret-key-123")
      }).pipe(Effect.scoped, Effect.provide(httpLayer))
    )

    it.effect("layerConfig reads the endpoint, transport and key pair from Config", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const provider = ConfigProvider.fromMap(
          new Map([
            ["KUBECRED_TKE_ENDPOINT", mock.tencent.endpoint],
            ["KUBECRED_TKE_TRANSPORT", transport],
            ["TENCENTCLOUD_SECRET_ID", mock.tencent.secretId],
            ["TENCENTCLOUD_SECRET_KEY", mock.tencent.secretKey]
          ])
        )
        const fetched = yield* fetchOf(running(mock).clusterId).pipe(
          Effect.provide(TkeClient.layerConfig(isolated).pipe(Layer.provide(Layer.setConfigProvider(provider))))
        )
        expect(fetched.attempts).toBe(1)
      })
    )

    it.effect("invalid input is rejected before any request", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const before = requestsOf(mock, "DescribeClusterKubeconfig")
        const error = yield* Effect.flip(fetchOf("not-a-cluster"))
        expect(error._tag).toBe("InvalidInput")
        expect(requestsOf(mock, "DescribeClusterKubeconfig")).toBe(before)
      })
    )

    it.effect("no credentials anywhere is CredentialsMissing, resolved lazily (make itself succeeds)", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const client = yield* TkeClient.scoped({ ...isolated, transport, endpoint: mock.tencent.endpoint })
        const error = yield* Effect.flip(
          fetchOf("cls-zzzzzzzz").pipe(Effect.provideService(TkeClient.TkeClient, client))
        )
        expect(error._tag).toBe("CredentialsMissing")
      }).pipe(Effect.scoped, Effect.provide(httpLayer))
    )

    it.effect("lists every page of a region (230 clusters, Limit 100)", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const client = yield* TkeClient.TkeClient
        const before = requestsOf(mock, "DescribeClusters")
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(client.listClusters({ regions: ["ap-chengdu"] })))
        const expected = mock.tencent.clusters.filter((c) => c.region === "ap-chengdu" && c.status !== "Deleted")
        expect(all.length).toBe(expected.length)
        expect(new Set(all.map((c) => c.clusterId))).toEqual(new Set(expected.map((c) => c.clusterId)))
        expect(requestsOf(mock, "DescribeClusters") - before).toBe(Math.ceil(expected.length / 100))
      })
    )

    it.effect("lists across regions, maps statuses to phases, filters by ids and name", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const client = yield* TkeClient.TkeClient
        const regions = ["ap-guangzhou", "ap-shanghai", "ap-beijing"]
        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(client.listClusters({ regions })))
        const expected = mock.tencent.clusters.filter((c) => regions.includes(c.region) && c.status !== "Deleted")
        expect(all.length).toBe(expected.length)
        for (const summary of all) {
          const source = expected.find((c) => c.clusterId === summary.clusterId)!
          expect(summary).toMatchObject({ provider: "tencent", region: source.region, status: source.status })
          const phase = { Running: "running", Abnormal: "abnormal", Deleting: "deleting" }[source.status]
          if (phase) expect(summary.phase).toBe(phase)
        }
        const two = expected.slice(0, 2).map((c) => c.clusterId)
        const byId = yield* Stream.runCollect(client.listClusters({ regions, clusterIds: two }))
        expect(new Set(Chunk.toReadonlyArray(byId).map((c) => c.clusterId))).toEqual(new Set(two))
        const named = all.find((c) => c.region === "ap-beijing")!
        const byName = Chunk.toReadonlyArray(
          yield* Stream.runCollect(client.listClusters({ regions: ["ap-beijing"], name: named.name }))
        )
        expect(byName.map((c) => c.clusterId)).toEqual([named.clusterId])
      })
    )

    it.effect("regions come from DescribeRegions; allRegions lists each, and a refused region fails the listing", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const client = yield* TkeClient.TkeClient
        const regions = yield* client.regions
        for (const region of new Set(mock.tencent.clusters.map((c) => c.region))) expect(regions).toContain(region)
        expect(regions).toContain("ap-shanghai-fsi")
        // strict: the finance region the account may not use is an error here (the CLI skips it with a warning)
        const refused = yield* Stream.runCollect(client.listClusters({ regions: [], allRegions: true })).pipe(
          Effect.flip
        )
        expect(refused._tag).toBe("RequestRejected")
        expect(refused.message).toContain("UnsupportedRegion")
      })
    )

    it.effect("endpoints: true fills each cluster's addresses from DescribeClusterEndpoints", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        yield* setFaults(mock, [])
        const client = yield* TkeClient.TkeClient
        const before = requestsOf(mock, "DescribeClusterEndpoints")
        const listed = Chunk.toReadonlyArray(
          yield* Stream.runCollect(client.listClusters({ regions: ["ap-shanghai"], endpoints: true }))
        )
        const expected = mock.tencent.clusters.filter((c) => c.region === "ap-shanghai" && c.status !== "Deleted")
        expect(listed.length).toBe(expected.length)
        for (const summary of listed) {
          expect(summary.endpoints.public).toBe(mock.apiserver)
          expect(summary.endpoints.private).toMatch(/^https:\/\/10\.\d+\.\d+\.\d+:443$/)
        }
        expect(requestsOf(mock, "DescribeClusterEndpoints") - before).toBe(expected.length)
        const plain = Chunk.toReadonlyArray(yield* Stream.runCollect(client.listClusters({ regions: ["ap-shanghai"] })))
        expect(plain.every((c) => c.endpoints.public === undefined)).toBe(true)
      })
    )

    it.effect("non-JSON, empty, truncated and wrong-shaped bodies are MalformedResponse, not retried", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const cluster = running(mock).clusterId
        for (const fault of [{ nonJson: true }, { emptyBody: true }, { truncate: true }, { wrongShape: true }]) {
          yield* setFaults(mock, [{ provider: "tencent", ...fault }])
          const before = requestsOf(mock, "DescribeClusterKubeconfig")
          const error = yield* Effect.flip(fetchOf(cluster))
          expect([Object.keys(fault)[0], error._tag]).toEqual([Object.keys(fault)[0], "MalformedResponse"])
          expect(requestsOf(mock, "DescribeClusterKubeconfig") - before).toBe(1)
        }
        yield* setFaults(mock, [])
      })
    )

    it.effect("HTTP 5xx is ProviderInternal, 429 is Throttled; both retried then surfaced", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const cluster = running(mock).clusterId
        for (const [status, tag] of [
          [500, "ProviderInternal"],
          [503, "ProviderInternal"],
          [429, "Throttled"]
        ] as const) {
          yield* setFaults(mock, [{ provider: "tencent", httpStatus: status }])
          const before = requestsOf(mock, "DescribeClusterKubeconfig")
          const error = yield* Effect.flip(fetchOf(cluster))
          expect([status, error._tag]).toEqual([status, tag])
          expect(requestsOf(mock, "DescribeClusterKubeconfig") - before).toBe(3)
        }
        yield* setFaults(mock, [])
      }).pipe(withPolicy({ maxRetries: 2 }))
    )

    it.effect("a reset connection is Transport(reset); a hang is Transport(timeout); a later success wins", () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const cluster = running(mock).clusterId
        yield* setFaults(mock, [{ provider: "tencent", reset: true }])
        const reset = yield* Effect.flip(fetchOf(cluster).pipe(withPolicy({ maxRetries: 0 })))
        expect(reset).toMatchObject({ _tag: "Transport", reason: "reset" })
        yield* setFaults(mock, [{ provider: "tencent", hang: true }])
        const hang = yield* Effect.flip(
          fetchOf(cluster).pipe(withPolicy({ maxRetries: 0, attemptTimeout: Duration.millis(300) }))
        )
        expect(hang).toMatchObject({ _tag: "Transport", reason: "timeout" })
        yield* setFaults(mock, [
          { provider: "tencent", reset: true, count: 1 },
          { provider: "tencent", hang: true, count: 1 },
          { provider: "tencent", error: { code: "InternalError" }, count: 1 }
        ])
        const fetched = yield* fetchOf(cluster).pipe(withPolicy({ attemptTimeout: Duration.millis(300) }))
        expect(fetched.attempts).toBe(4)
        yield* setFaults(mock, [])
      })
    )

    it.effect("interruption aborts the request in flight (the server sees the connection close)", () =>
      Effect.gen(function* () {
        const arrived = yield* Deferred.make<void>()
        const closed = yield* Deferred.make<void>()
        const server = yield* Effect.acquireRelease(
          Effect.async<Http.Server>((resume) => {
            const s = Http.createServer((req) => {
              Deferred.unsafeDone(arrived, Effect.void)
              req.socket.on("close", () => Deferred.unsafeDone(closed, Effect.void))
              // never answers
            })
            s.listen(0, "127.0.0.1", () => {
              resume(Effect.succeed(s))
            })
          }),
          (s) =>
            Effect.async<void>((resume) => {
              s.closeAllConnections()
              s.close(() => resume(Effect.void))
            })
        )
        const port = (server.address() as AddressInfo).port
        const client = yield* TkeClient.scoped({
          ...isolated,
          transport,
          endpoint: `http://127.0.0.1:${port}`,
          credentials: { secretId: "AKIDhang", secretKey: Redacted.make("k") }
        })
        const fiber = yield* Effect.fork(
          client.fetch({
            _tag: "tencent",
            region: "ap-guangzhou" as never,
            clusterId: "cls-abcd1234" as never,
            endpoint: "public"
          })
        )
        yield* Deferred.await(arrived)
        yield* Fiber.interrupt(fiber)
        yield* Deferred.await(closed).pipe(Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "not closed" }))
      }).pipe(Effect.scoped, Effect.provide(httpLayer))
    )
  })
}
