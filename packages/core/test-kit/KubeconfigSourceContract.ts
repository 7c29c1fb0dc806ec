/**
 * The KubeconfigSource contract as a test kit: what every provider over every transport must do alike on the
 * port's edge cases (docs/decisions.md "One provider engine"). A provider runs it against the mock cloud by
 * describing a target; its own suite keeps only what is specific to its wire.
 *
 * ```ts
 * KubeconfigSourceContract.run(target) // inside a provider's test file
 * ```
 */
import { describe, expect, layer } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import type { FetchRequest } from "../src/FetchRequest.js"
import type { ProviderError } from "../src/KubecredError.js"
import type { Service } from "../src/KubeconfigSource.js"
import { AnswerBounds, defaultAnswerBounds, defaultRetryPolicy, RetryPolicy } from "../src/Policy.js"
import type { ProviderName } from "../src/Provider.js"

/** The faults every mock of a cloud API is expected to inject (a subset of mocks/server's FaultRule). */
export interface Fault {
  readonly action?: string
  readonly httpStatus?: number
  readonly reset?: boolean
  readonly nonJson?: boolean
  readonly count?: number
}

export interface Cluster {
  readonly region: string
  readonly clusterId: string
}

export interface ContractTarget<R> {
  /** e.g. `TKE over http`. */
  readonly name: string
  readonly provider: ProviderName
  readonly actions: { readonly fetch: string; readonly list: string }
  /** The mock cloud (and anything else the target needs), shared by the suite. */
  readonly layer: Layer.Layer<R>
  /**
   * A source against the mock: its valid key pair, or a wrong secret; `defaultRegion` is what the chain should
   * find in its environment (none when undefined).
   */
  readonly source: (options: {
    readonly credentials: "valid" | "wrong-secret"
    readonly defaultRegion?: string | undefined
  }) => Effect.Effect<Service, never, Scope.Scope | R>
  /** A running cluster. */
  readonly running: Effect.Effect<Cluster, never, R>
  /** A region holding more than one page of clusters, and how many (deleted ones excluded). */
  readonly paged: Effect.Effect<{ readonly region: string; readonly clusterIds: ReadonlyArray<string> }, never, R>
  /** The cluster ids of a region, as the mock holds them (deleted ones excluded). */
  readonly clustersIn: (region: string) => Effect.Effect<ReadonlyArray<string>, never, R>
  /** A well-formed id of a cluster that does not exist, and a malformed one. */
  readonly unknownClusterId: string
  readonly malformedClusterId: string
  /** Requests the mock has seen for an action. */
  readonly requests: (action: string) => Effect.Effect<number, never, R>
  /** Runs `effect` with these faults on (the provider's own actions only), clearing them afterwards. */
  readonly withFaults: <A, E, R2>(
    faults: ReadonlyArray<Fault>,
    effect: Effect.Effect<A, E, R2>
  ) => Effect.Effect<A, E, R | R2>
}

const quick = {
  ...defaultRetryPolicy,
  baseDelay: Duration.millis(5),
  maxDelay: Duration.millis(20),
  unavailableDelay: Duration.millis(5),
  attemptTimeout: Duration.seconds(10),
  deadline: Duration.seconds(40),
  maxRetries: 2
}

const otherProvider = (provider: ProviderName): ProviderName => (provider === "tencent" ? "alibaba" : "tencent")

const collect = (stream: Stream.Stream<{ readonly clusterId: string }, ProviderError>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

export const run = <R>(target: ContractTarget<R>): void => {
  const fetchRequest = (cluster: Cluster, endpoint: "public" | "private" = "public") =>
    ({ _tag: target.provider, region: cluster.region, clusterId: cluster.clusterId, endpoint }) as FetchRequest

  /** How many requests `effect` made to an action. */
  const counting = <A, E, R2>(action: string, effect: Effect.Effect<A, E, R2>) =>
    Effect.gen(function* () {
      const before = yield* target.requests(action)
      const result = yield* Effect.either(effect)
      return { result, sent: (yield* target.requests(action)) - before }
    })

  layer(target.layer, { excludeTestServices: true, timeout: Duration.seconds(120) })(
    `KubeconfigSource contract: ${target.name}`,
    (it) => {
      const source = (credentials: "valid" | "wrong-secret" = "valid", defaultRegion?: string) =>
        target.source({ credentials, defaultRegion })

      describe("fetch", () => {
        it.scoped("a running cluster: the document, provenance from the engine, one attempt, the key Redacted", () =>
          Effect.gen(function* () {
            const cluster = yield* target.running
            const fetched = yield* (yield* source()).fetch(fetchRequest(cluster))
            expect(fetched.attempts).toBe(1)
            expect(fetched.requestId).toMatch(/./)
            expect(fetched.provenance).toMatchObject({
              provider: target.provider,
              region: cluster.region,
              clusterId: cluster.clusterId,
              endpoint: "public",
              credential: "embedded"
            })
            expect(fetched.provenance.identity).toMatch(/./)
            expect(Option.isSome(fetched.expiresAt)).toBe(true)
            expect(fetched.provenance.expiresAt).toEqual(Option.getOrUndefined(fetched.expiresAt))
            const key = fetched.document.users?.[0]?.user["client-key-data"]
            expect(Redacted.isRedacted(key)).toBe(true)
            expect(JSON.stringify(fetched)).not.toContain(Redacted.value(key!))
          })
        )

        it.scoped("the private endpoint is another server than the public one", () =>
          Effect.gen(function* () {
            const cluster = yield* target.running
            const s = yield* source()
            const pub = yield* s.fetch(fetchRequest(cluster, "public"))
            const priv = yield* s.fetch(fetchRequest(cluster, "private"))
            expect(priv.provenance.endpoint).toBe("private")
            expect(priv.document.clusters?.[0]?.cluster.server).not.toBe(pub.document.clusters?.[0]?.cluster.server)
          })
        )

        it.scoped("an unknown cluster is ClusterNotFound (id, region, code, request id), sent once", () =>
          Effect.gen(function* () {
            const s = yield* source()
            const region = (yield* target.running).region
            const { result, sent } = yield* counting(
              target.actions.fetch,
              s.fetch(fetchRequest({ region, clusterId: target.unknownClusterId }))
            )
            expect(result._tag === "Left" && result.left).toMatchObject({
              _tag: "ClusterNotFound",
              clusterId: target.unknownClusterId,
              region,
              code: expect.any(String),
              requestId: expect.any(String)
            })
            expect(sent).toBe(1)
          })
        )

        it.scoped(
          "a malformed id, a region that is not one, another provider's request: InvalidInput, nothing sent",
          () =>
            Effect.gen(function* () {
              const s = yield* source()
              const cluster = yield* target.running
              const { result: badId, sent: a } = yield* counting(
                target.actions.fetch,
                s.fetch(fetchRequest({ ...cluster, clusterId: target.malformedClusterId }))
              )
              const { result: badRegion, sent: b } = yield* counting(
                target.actions.fetch,
                s.fetch(fetchRequest({ ...cluster, region: "Not A Region" }))
              )
              const { result: other, sent: c } = yield* counting(
                target.actions.fetch,
                s.fetch({ ...fetchRequest(cluster), _tag: otherProvider(target.provider) } as FetchRequest)
              )
              expect(badId._tag === "Left" && badId.left._tag).toBe("InvalidInput")
              expect(badRegion._tag === "Left" && badRegion.left._tag).toBe("InvalidInput")
              expect(other._tag === "Left" && other.left).toMatchObject({ _tag: "InvalidInput", field: "provider" })
              expect([a, b, c]).toEqual([0, 0, 0])
            })
        )

        it.scoped("a wrong secret is AuthenticationFailed, sent once, the secret nowhere in it", () =>
          Effect.gen(function* () {
            const s = yield* source("wrong-secret")
            const { result, sent } = yield* counting(target.actions.fetch, s.fetch(fetchRequest(yield* target.running)))
            expect(result._tag === "Left" && result.left._tag).toBe("AuthenticationFailed")
            expect(sent).toBe(1)
          })
        )
      })

      describe("errors and retries", () => {
        it.scoped(
          "5xx is ProviderInternal and 429 Throttled, each retried the policy's times; non-JSON is MalformedResponse, sent once",
          () =>
            Effect.gen(function* () {
              const s = yield* source()
              const cluster = yield* target.running
              for (const [fault, tag, sends] of [
                [{ httpStatus: 503 }, "ProviderInternal", 3],
                [{ httpStatus: 429 }, "Throttled", 3],
                [{ nonJson: true }, "MalformedResponse", 1]
              ] as const) {
                const { result, sent } = yield* target.withFaults(
                  [{ action: target.actions.fetch, ...fault }],
                  counting(target.actions.fetch, s.fetch(fetchRequest(cluster)))
                )
                expect([JSON.stringify(fault), result._tag === "Left" && result.left._tag, sent]).toEqual([
                  JSON.stringify(fault),
                  tag,
                  sends
                ])
              }
            }).pipe(Effect.provideService(RetryPolicy, quick))
        )

        it.scoped(
          "a reset is Transport(reset) carrying its cause; a transient fault then a success counts attempts",
          () =>
            Effect.gen(function* () {
              const s = yield* source()
              const cluster = yield* target.running
              const reset = yield* target.withFaults(
                [{ action: target.actions.fetch, reset: true }],
                Effect.flip(
                  s.fetch(fetchRequest(cluster)).pipe(Effect.provideService(RetryPolicy, { ...quick, maxRetries: 0 }))
                )
              )
              expect(reset).toMatchObject({ _tag: "Transport", reason: "reset" })
              expect((reset as { cause?: unknown }).cause).toBeInstanceOf(Error)
              const fetched = yield* target.withFaults(
                [{ action: target.actions.fetch, httpStatus: 503, count: 1 }],
                s.fetch(fetchRequest(cluster))
              )
              expect(fetched.attempts).toBe(2)
            }).pipe(Effect.provideService(RetryPolicy, quick))
        )
      })

      describe("listing", () => {
        it.scoped("every page of a region with more than one page, each page requested once", () =>
          Effect.gen(function* () {
            const s = yield* source()
            const paged = yield* target.paged
            const { result, sent } = yield* counting(
              target.actions.list,
              collect(s.listClusters({ regions: [paged.region] }))
            )
            const rows = result._tag === "Right" ? result.right : []
            expect(new Set(rows.map((r) => r.clusterId))).toEqual(new Set(paged.clusterIds))
            expect(rows.length).toBe(paged.clusterIds.length)
            expect(sent).toBe(Math.ceil(paged.clusterIds.length / 100))
          })
        )

        it.scoped("`regions: []` is the default region; none at all is InvalidInput(region), nothing sent", () =>
          Effect.gen(function* () {
            const region = (yield* target.running).region
            const expected = yield* target.clustersIn(region)
            const withDefault = yield* collect((yield* source("valid", region)).listClusters({ regions: [] }))
            expect(new Set(withDefault.map((r) => r.clusterId))).toEqual(new Set(expected))
            const { result, sent } = yield* counting(
              target.actions.list,
              collect((yield* source()).listClusters({ regions: [] }))
            )
            expect(result._tag === "Left" && result.left).toMatchObject({ _tag: "InvalidInput", field: "region" })
            expect(sent).toBe(0)
          })
        )

        it.scoped(
          "`clusterIds: []` lists nothing and sends nothing; a region that is not one is refused before sending",
          () =>
            Effect.gen(function* () {
              const s = yield* source()
              const region = (yield* target.running).region
              const none = yield* counting(
                target.actions.list,
                collect(s.listClusters({ regions: [region], clusterIds: [] }))
              )
              expect(none.result._tag === "Right" && none.result.right).toEqual([])
              expect(none.sent).toBe(0)
              const bad = yield* counting(
                target.actions.list,
                collect(s.listClusters({ regions: [region, "Not A Region"] }))
              )
              expect(bad.result._tag === "Left" && bad.result.left).toMatchObject({
                _tag: "InvalidInput",
                field: "region"
              })
              expect(bad.sent).toBe(0)
            })
        )

        it.scoped("several regions at once, duplicates listed once; ids and exact name filter", () =>
          Effect.gen(function* () {
            const s = yield* source()
            const region = (yield* target.running).region
            const paged = (yield* target.paged).region
            const inRegion = yield* target.clustersIn(region)
            const both = yield* collect(s.listClusters({ regions: [region, paged, region] }))
            expect(both.length).toBe(inRegion.length + (yield* target.paged).clusterIds.length)
            expect(new Set(both.map((r) => r.clusterId)).size).toBe(both.length)
            const two = inRegion.slice(0, 2)
            const byIds = yield* collect(s.listClusters({ regions: [region], clusterIds: two }))
            expect(new Set(byIds.map((r) => r.clusterId))).toEqual(new Set(two))
            const listed = yield* Effect.map(
              Stream.runCollect(s.listClusters({ regions: [region] })),
              Chunk.toReadonlyArray
            )
            const one = listed[0]!
            const byName = yield* Effect.map(
              Stream.runCollect(s.listClusters({ regions: [region], name: one.name })),
              Chunk.toReadonlyArray
            )
            expect(byName.map((r) => r.clusterId)).toContain(one.clusterId)
            expect(byName.every((r) => r.name === one.name)).toBe(true)
            expect(byName.length).toBe(listed.filter((r) => r.name === one.name).length)
          })
        )
      })

      describe("describeCluster", () => {
        it.scoped("one cluster's row by id, the same as the listing's, in one request; an unknown id is none", () =>
          Effect.gen(function* () {
            const s = yield* source()
            const running = yield* target.running
            const listed = yield* collect(
              s.listClusters({ regions: [running.region], clusterIds: [running.clusterId] })
            )
            const { result, sent } = yield* counting(target.actions.list, s.describeCluster(running))
            expect(result._tag === "Right" && Option.getOrUndefined(result.right)).toEqual(listed[0])
            expect(listed[0]).toMatchObject({ clusterId: running.clusterId, region: running.region })
            expect(sent).toBe(1)
            const unknown = yield* s.describeCluster({ region: running.region, clusterId: target.unknownClusterId })
            expect(Option.isNone(unknown)).toBe(true)
          })
        )

        it.scoped("a region that is not one is InvalidInput(region), nothing sent", () =>
          Effect.gen(function* () {
            const s = yield* source()
            const running = yield* target.running
            const { result, sent } = yield* counting(
              target.actions.list,
              s.describeCluster({ region: "Not A Region", clusterId: running.clusterId })
            )
            expect(result._tag === "Left" && result.left).toMatchObject({ _tag: "InvalidInput", field: "region" })
            expect(sent).toBe(0)
          })
        )
      })

      describe("bounded answers", () => {
        it.scoped("more pages than AnswerBounds.maxPages is BoundExceeded(pages) after that many requests", () =>
          Effect.gen(function* () {
            const s = yield* source()
            const paged = yield* target.paged
            const { result, sent } = yield* counting(
              target.actions.list,
              collect(s.listClusters({ regions: [paged.region] })).pipe(
                Effect.provideService(AnswerBounds, { ...defaultAnswerBounds, maxPages: 1 })
              )
            )
            expect(result._tag === "Left" && result.left).toMatchObject({ _tag: "BoundExceeded", bound: "pages" })
            expect(sent).toBe(1)
          })
        )

        it.scoped("a body larger than AnswerBounds.maxBodyBytes is BoundExceeded(body-size), not retried", () =>
          Effect.gen(function* () {
            const s = yield* source()
            const { result, sent } = yield* counting(
              target.actions.fetch,
              s
                .fetch(fetchRequest(yield* target.running))
                .pipe(Effect.provideService(AnswerBounds, { ...defaultAnswerBounds, maxBodyBytes: 64 }))
            )
            expect(result._tag === "Left" && result.left).toMatchObject({ _tag: "BoundExceeded", bound: "body-size" })
            expect(sent).toBe(1)
          })
        )
      })
    }
  )
}
