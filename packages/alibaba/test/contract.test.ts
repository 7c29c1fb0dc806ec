/**
 * The ACK contract suite: the same tests over every transport (http, sdk) and signature (v3, legacy v2),
 * against mocks/server over the real wire.
 */
import { describe, expect, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { RetryPolicy } from "@kubecred/core/Policy"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import {
  client,
  clusterIn,
  fastRetries,
  MockCloudServer,
  mockLayer,
  requestsSeen,
  runningCluster,
  variants,
  withFaults,
  withPolicies
} from "./fixtures.js"

const request = (clusterId: string, extra: Partial<AlibabaFetchRequest> = {}) =>
  ({ _tag: "alibaba", region: "cn-hangzhou", clusterId, endpoint: "public", ...extra }) as AlibabaFetchRequest

layer(mockLayer(), { excludeTestServices: true, timeout: Duration.seconds(60) })("ACK contract", (it) => {
  for (const variant of variants) {
    describe(variant.name, () => {
      it.scoped("fetches a kubeconfig: document, expiry from `expiration`, identity, request id", () =>
        withPolicies(
          Effect.gen(function* () {
            const mock = yield* MockCloudServer
            const source = yield* client(variant)
            const id = yield* runningCluster()
            const fetched = yield* source.fetch(request(id))
            expect(fetched.attempts).toBe(1)
            expect(fetched.requestId).toMatch(/./)
            expect(fetched.document.clusters?.[0]?.cluster.server).toBe(mock.apiserver)
            const user = fetched.document.users?.[0]?.user
            expect(user?.["client-certificate-data"]).toMatch(/^[A-Za-z0-9+/=]+$/)
            expect(Redacted.isRedacted(user?.["client-key-data"])).toBe(true)
            expect(Option.isSome(fetched.expiresAt)).toBe(true)
            expect(fetched.provenance).toMatchObject({
              provider: "alibaba",
              region: "cn-hangzhou",
              clusterId: id,
              endpoint: "public",
              credential: "embedded"
            })
            expect(fetched.provenance.identity).toMatch(/./)
            expect(fetched.provenance.expiresAt).toEqual(Option.getOrUndefined(fetched.expiresAt))
          })
        )
      )

      it.scoped("private endpoint and a temporary kubeconfig", () =>
        withPolicies(
          Effect.gen(function* () {
            const source = yield* client(variant)
            const id = yield* runningCluster()
            const before = yield* DateTime.now
            const fetched = yield* source.fetch(
              request(id, { endpoint: "private", temporaryDurationMinutes: 60 as never })
            )
            expect(fetched.document.clusters?.[0]?.cluster.server).toMatch(/^https:\/\/192\.168\./)
            const expires = Option.getOrThrow(fetched.expiresAt)
            const minutes = (DateTime.toEpochMillis(expires) - DateTime.toEpochMillis(before)) / 60_000
            expect(minutes).toBeGreaterThan(55)
            expect(minutes).toBeLessThan(65)
          })
        )
      )

      it.scoped("STS credentials (x-acs-accesskey-id and x-acs-security-token signed)", () =>
        withPolicies(
          Effect.gen(function* () {
            const source = yield* client(variant, { sts: true })
            const fetched = yield* source.fetch(request(yield* runningCluster()))
            expect(fetched.attempts).toBe(1)
          })
        )
      )

      it.scoped("ClusterNotFound, never retried", () =>
        withPolicies(
          Effect.gen(function* () {
            const source = yield* client(variant)
            const before = yield* requestsSeen("DescribeClusterUserKubeconfig")
            const error = yield* Effect.flip(source.fetch(request(`c${"0".repeat(32)}`)))
            expect(error._tag).toBe("ClusterNotFound")
            expect(error).toMatchObject({
              code: "ErrorClusterNotFound",
              clusterId: `c${"0".repeat(32)}`,
              region: "cn-hangzhou"
            })
            expect((error as { requestId?: string }).requestId).toMatch(/./)
            expect((yield* requestsSeen("DescribeClusterUserKubeconfig")) - before).toBe(1)
          })
        )
      )

      it.scoped("a cluster that is not running is ClusterUnavailable, retried the policy's few times", () =>
        withPolicies(
          Effect.gen(function* () {
            const source = yield* client(variant)
            const broken = yield* clusterIn("failed")
            const before = yield* requestsSeen("DescribeClusterUserKubeconfig")
            const error = yield* Effect.flip(
              source.fetch(request(broken.clusterId, { region: broken.region as never }))
            )
            expect(error._tag).toBe("ClusterUnavailable")
            expect((yield* requestsSeen("DescribeClusterUserKubeconfig")) - before).toBe(
              1 + fastRetries.unavailableMaxRetries
            )
          })
        )
      )

      it.scoped(
        "a wrong secret is AuthenticationFailed (SignatureDoesNotMatch); an unknown key InvalidAccessKeyId.NotFound",
        () =>
          withPolicies(
            Effect.gen(function* () {
              const mock = yield* MockCloudServer
              const id = yield* runningCluster()
              const bad = yield* client(variant, {
                credentials: { accessKeyId: mock.alibaba.accessKeyId, accessKeySecret: Redacted.make("not-the-secret") }
              })
              const e1 = yield* Effect.flip(bad.fetch(request(id)))
              expect(e1).toMatchObject({ _tag: "AuthenticationFailed", code: "SignatureDoesNotMatch" })
              const unknown = yield* client(variant, {
                credentials: { accessKeyId: "LTAI-unknown", accessKeySecret: Redacted.make("x") }
              })
              const e2 = yield* Effect.flip(unknown.fetch(request(id)))
              expect(e2).toMatchObject({ _tag: "AuthenticationFailed", code: "InvalidAccessKeyId.NotFound" })
            })
          )
      )

      it.scoped("input is checked before any request", () =>
        withPolicies(
          Effect.gen(function* () {
            const source = yield* client(variant)
            const before = yield* requestsSeen("DescribeClusterUserKubeconfig")
            const e1 = yield* Effect.flip(source.fetch(request("cls-abcdefgh")))
            expect(e1._tag).toBe("InvalidInput")
            const e2 = yield* Effect.flip(
              source.fetch(request(yield* runningCluster(), { temporaryDurationMinutes: 5 as never }))
            )
            expect(e2._tag).toBe("InvalidInput")
            expect(e2.message).toContain("15 to 4320")
            expect(yield* requestsSeen("DescribeClusterUserKubeconfig")).toBe(before)
          })
        )
      )

      it.scoped("lists every cluster of the requested regions, across pages", () =>
        withPolicies(
          Effect.gen(function* () {
            const mock = yield* MockCloudServer
            const source = yield* client(variant)
            const expected = (region: string) =>
              mock.alibaba.clusters.filter((c) => c.region === region && c.state !== "deleted").map((c) => c.clusterId)
            const before = yield* requestsSeen("DescribeClustersV1")
            const rows = Chunk.toArray(
              yield* Stream.runCollect(source.listClusters({ regions: ["cn-shenzhen", "cn-hangzhou"] }))
            )
            expect(
              rows
                .filter((r) => r.region === "cn-shenzhen")
                .map((r) => r.clusterId)
                .sort()
            ).toEqual(expected("cn-shenzhen").sort())
            expect(
              rows
                .filter((r) => r.region === "cn-hangzhou")
                .map((r) => r.clusterId)
                .sort()
            ).toEqual(expected("cn-hangzhou").sort())
            expect(expected("cn-shenzhen").length).toBe(250)
            // 250 clusters are 3 pages of 100; cn-hangzhou fits in one
            expect((yield* requestsSeen("DescribeClustersV1")) - before).toBe(4)
            const running = rows.find((r) => r.status === "running")!
            expect(running.phase).toBe("running")
            expect(running.endpoints.public).toBe(mock.apiserver)
            expect(running.endpoints.private).toMatch(/^https:\/\/192\.168\./)
            expect(running.version).toMatch(/^1\./)
            expect(rows.find((r) => r.status === "failed")?.phase).toBe("abnormal")
            expect(rows.find((r) => r.status === "deleting")?.phase).toBe("deleting")
          })
        )
      )

      it.scoped("allRegions is one account-wide paged listing (no region_id); regions are the account's", () =>
        withPolicies(
          Effect.gen(function* () {
            const mock = yield* MockCloudServer
            const source = yield* client(variant)
            const expected = mock.alibaba.clusters.filter((c) => c.state !== "deleted")
            const before = yield* requestsSeen("DescribeClustersV1")
            const rows = Chunk.toArray(yield* Stream.runCollect(source.listClusters({ regions: [], allRegions: true })))
            expect(rows.map((r) => r.clusterId).sort()).toEqual(expected.map((c) => c.clusterId).sort())
            expect((yield* requestsSeen("DescribeClustersV1")) - before).toBe(Math.ceil(expected.length / 100))
            expect(new Set(yield* source.regions)).toEqual(new Set(expected.map((c) => c.region)))
          })
        )
      )

      it.scoped("lists by cluster ids and by exact name", () =>
        withPolicies(
          Effect.gen(function* () {
            const source = yield* client(variant)
            const id = yield* runningCluster("cn-beijing")
            const one = Chunk.toArray(
              yield* Stream.runCollect(source.listClusters({ regions: ["cn-beijing"], clusterIds: [id] }))
            )
            expect(one.map((r) => r.clusterId)).toEqual([id])
            const named = Chunk.toArray(
              yield* Stream.runCollect(
                source.listClusters({ regions: ["cn-hangzhou", "cn-beijing"], name: "prod-web-1" })
              )
            )
            expect(named.map((r) => r.region).sort()).toEqual(["cn-beijing", "cn-hangzhou"])
            expect(named.every((r) => r.name === "prod-web-1")).toBe(true)
            const dev = Chunk.toArray(
              yield* Stream.runCollect(source.listClusters({ regions: ["cn-hangzhou"], name: "dev-1" }))
            )
            expect(dev.map((r) => r.name)).toEqual(["dev-1"])
          })
        )
      )

      it.scoped("bodies that break the contract are MalformedResponse and are not retried", () =>
        withPolicies(
          Effect.gen(function* () {
            const source = yield* client(variant)
            const id = yield* runningCluster()
            for (const fault of [{ nonJson: true }, { emptyBody: true }, { truncate: true }, { wrongShape: true }]) {
              const before = yield* requestsSeen("DescribeClusterUserKubeconfig")
              const error = yield* withFaults(
                [{ provider: "alibaba", action: "DescribeClusterUserKubeconfig", ...fault }],
                Effect.flip(source.fetch(request(id)))
              )
              expect([Object.keys(fault)[0], error._tag]).toEqual([Object.keys(fault)[0], "MalformedResponse"])
              expect((yield* requestsSeen("DescribeClusterUserKubeconfig")) - before).toBe(1)
            }
          })
        )
      )

      it.scoped(
        "transient failures are retried: reset, 503 page, InternalError, throttling with retry-after, a hang",
        () =>
          withPolicies(
            Effect.gen(function* () {
              const source = yield* client(variant)
              const id = yield* runningCluster()
              const faults = [
                { reset: true },
                { httpStatus: 503 },
                { error: { code: "InternalError" } },
                { error: { code: "Throttling.User", retryAfterMs: 20 } },
                { hang: true }
              ]
              for (const fault of faults) {
                const fetched = yield* withFaults(
                  [{ provider: "alibaba", action: "DescribeClusterUserKubeconfig", count: 1, ...fault }],
                  source.fetch(request(id))
                )
                expect([JSON.stringify(fault), fetched.attempts]).toEqual([JSON.stringify(fault), 2])
              }
            }).pipe(Effect.provideService(RetryPolicy, { ...fastRetries, attemptTimeout: Duration.millis(500) }))
          )
      )
    })
  }
})
