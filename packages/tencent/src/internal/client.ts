/**
 * The KubeconfigSource service over a transport: credentials resolved lazily (successes cached), every call
 * paced per account and action (core RateLimit) and retried under the core RetryPolicy (core Resilience),
 * responses decoded per action, kubeconfigs inspected for expiry and identity.
 */
import type { ClusterPhase, ClusterSummary, ListRequest } from "@kubecred/core/ClusterSummary"
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { type FetchRequest, TencentFetchRequest } from "@kubecred/core/FetchRequest"
import { InvalidInput, type ProviderError } from "@kubecred/core/KubecredError"
import type * as KubeconfigSource from "@kubecred/core/KubeconfigSource"
import { ThrottlePolicy } from "@kubecred/core/Policy"
import { makeKeyedPacers } from "@kubecred/core/RateLimit"
import { withRetries } from "@kubecred/core/Resilience"
import { stillFresh } from "@kubecred/core/TemporaryCredentials"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as SynchronizedRef from "effect/SynchronizedRef"
import type { CredentialsMissing } from "@kubecred/core/KubecredError"
import type { ResolvedCredentials } from "../TkeCredentials.js"
import { type CallContext, malformed } from "./errorMapping.js"
import { parse as parseKubeconfig } from "./kubeconfig.js"
import {
  type Cluster,
  DescribeClusterKubeconfigResponse,
  DescribeClustersResponse,
  describeParseError
} from "./responses.js"
import * as Endpoints from "./endpoints.js"
import * as Regions from "./regions.js"
import type { TkeAnswer, TkeCall, TkeTransport } from "./transport.js"

export const PAGE_SIZE = 100

export interface ClientDeps {
  readonly transport: TkeTransport
  readonly credentials: Effect.Effect<ResolvedCredentials, CredentialsMissing>
  readonly defaultRegion: Effect.Effect<Option.Option<string>>
}

/**
 * Caches the first success until five minutes before it expires; failures are not cached (a credentials file
 * may appear later).
 */
const cacheCredentials = <E>(
  effect: Effect.Effect<ResolvedCredentials, E>
): Effect.Effect<Effect.Effect<ResolvedCredentials, E>> =>
  Effect.map(SynchronizedRef.make(Option.none<ResolvedCredentials>()), (ref) =>
    SynchronizedRef.modifyEffect(ref, (cached) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const usable = Option.filter(cached, (value) => stillFresh(value.expiresAt, now))
        return Option.match(usable, {
          onSome: (value) => Effect.succeed([value, usable] as const),
          onNone: () => Effect.map(effect, (value) => [value, Option.some(value)] as const)
        })
      })
    )
  )

const phases: Record<string, ClusterPhase> = {
  Running: "running",
  Creating: "creating",
  Trading: "creating",
  Upgrading: "updating",
  Scaling: "updating",
  Recovering: "updating",
  NodeUpgrading: "updating",
  RuntimeUpgrading: "updating",
  MasterScaling: "updating",
  ClusterLevelUpgrading: "updating",
  Abnormal: "abnormal",
  Isolated: "abnormal",
  Pause: "abnormal",
  ResourceIsolate: "abnormal",
  ResourceIsolated: "abnormal",
  Deleting: "deleting",
  Idling: "other",
  WaittingForConnect: "other",
  ResourceReverse: "other"
}

/** TKE ClusterStatus → the phase a kubectl user cares about. */
export const phaseOf = (status: string): ClusterPhase => phases[status] ?? "other"

const toSummary = (region: string, cluster: Cluster): ClusterSummary => ({
  provider: "tencent",
  region,
  clusterId: cluster.ClusterId,
  name: cluster.ClusterName ?? cluster.ClusterId,
  status: cluster.ClusterStatus,
  phase: phaseOf(cluster.ClusterStatus),
  ...(cluster.ClusterVersion ? { version: cluster.ClusterVersion } : {}),
  endpoints: {}
})

const decodeAs =
  <A, I>(schema: Schema.Schema<A, I>, context: CallContext) =>
  (answer: TkeAnswer): Effect.Effect<A, ProviderError> =>
    Either.match(Schema.decodeUnknownEither(schema)(answer.response), {
      onLeft: (error) =>
        Effect.fail(
          malformed(context, `unexpected ${context.action} response: ${describeParseError(error)}`, answer.requestId)
        ),
      onRight: Effect.succeed
    })

const invalid = (error: ParseResult.ParseError) =>
  new InvalidInput({ detail: ParseResult.TreeFormatter.formatErrorSync(error).split("\n").slice(-1)[0]!.trim() })

export const make = (deps: ClientDeps): Effect.Effect<KubeconfigSource.Service> =>
  Effect.gen(function* () {
    const credentials = yield* cacheCredentials(deps.credentials)
    const pacers = yield* makeKeyedPacers

    /** One action, paced and retried; `attempts` counts the tries. */
    const call = (action: TkeCall["action"], region: string, params: Record<string, unknown>, context: CallContext) =>
      Effect.useSpan(
        `tke.${action}`,
        {
          kind: "client",
          captureStackTrace: false,
          attributes: {
            "kubecred.provider": "tencent",
            "kubecred.transport": deps.transport.name,
            "kubecred.region": region,
            ...(context.clusterId ? { "kubecred.cluster_id": context.clusterId } : {})
          }
        },
        (span) =>
          Effect.gen(function* () {
            const creds = yield* credentials
            const throttle = yield* ThrottlePolicy
            const limit = throttle.requestsPerSecond.tencent
            const attempt = deps.transport
              .call({ action, region, params, credentials: creds, context })
              .pipe(
                Effect.tapError((error) =>
                  Effect.logDebug(`tke ${action} attempt failed: ${error.message}`).pipe(
                    Effect.annotateLogs({ error: error._tag, retryable: error.retryable })
                  )
                )
              )
            // the pacer waits outside each attempt's timeout: queueing for a slot is not a slow answer
            const result = yield* withRetries(
              attempt,
              { provider: "tencent", action },
              { gate: pacers.paced(`${creds.secretId}:${action}`, limit * throttle.headroom, limit) }
            )
            span.attribute("kubecred.attempts", result.attempts)
            if (result.value.requestId) span.attribute("kubecred.request_id", result.value.requestId)
            return result
          }).pipe(Effect.withParentSpan(span))
      )

    const fetch = (request: FetchRequest): Effect.Effect<FetchedKubeconfig, ProviderError> =>
      Effect.gen(function* () {
        if (request._tag !== "tencent") {
          return yield* new InvalidInput({ field: "provider", detail: `a ${request._tag} request sent to TKE` })
        }
        const valid = yield* Schema.decodeUnknown(TencentFetchRequest)(request).pipe(Effect.mapError(invalid))
        const action = "DescribeClusterKubeconfig"
        const context: CallContext = { action, region: valid.region, clusterId: valid.clusterId }
        const { value, attempts } = yield* call(
          action,
          valid.region,
          { ClusterId: valid.clusterId, IsExtranet: valid.endpoint === "public" },
          context
        )
        const body = yield* decodeAs(DescribeClusterKubeconfigResponse, context)(value)
        const parsed = yield* Either.match(parseKubeconfig(body.Kubeconfig), {
          onLeft: (why) => Effect.fail(malformed(context, why, value.requestId)),
          onRight: Effect.succeed
        })
        const fetchedAt = yield* DateTime.now
        const expiresAt = Option.fromNullable(parsed.notAfter).pipe(Option.map(DateTime.unsafeMake))
        return {
          document: parsed.document,
          expiresAt,
          provenance: {
            provider: "tencent",
            region: valid.region,
            clusterId: valid.clusterId,
            endpoint: valid.endpoint,
            fetchedAt,
            ...(Option.isSome(expiresAt) ? { expiresAt: expiresAt.value } : {}),
            ...(parsed.identity ? { identity: parsed.identity } : {}),
            credential: "embedded"
          },
          requestId: body.RequestId ?? value.requestId,
          attempts
        } satisfies FetchedKubeconfig
      })

    const listRegion = (region: string, request: ListRequest): Stream.Stream<ClusterSummary, ProviderError> => {
      const action = "DescribeClusters"
      const context: CallContext = { action, region }
      const filters = request.name === undefined ? [] : [{ Name: "ClusterName", Values: [request.name] }]
      const page = (offset: number) =>
        call(
          action,
          region,
          {
            Offset: offset,
            Limit: PAGE_SIZE,
            ...(request.clusterIds && request.clusterIds.length > 0 ? { ClusterIds: request.clusterIds } : {}),
            ...(filters.length > 0 ? { Filters: filters } : {})
          },
          context
        ).pipe(
          Effect.flatMap(({ value }) => decodeAs(DescribeClustersResponse, context)(value)),
          Effect.map((body) => {
            const next = offset + body.Clusters.length
            const more = body.Clusters.length > 0 && next < body.TotalCount
            return [
              Chunk.fromIterable(body.Clusters.map((cluster) => toSummary(region, cluster))),
              more ? Option.some(next) : Option.none<number>()
            ] as const
          })
        )
      const pages = Stream.paginateChunkEffect(0, page)
      return request.endpoints === true
        ? Stream.mapEffect(pages, Endpoints.withEndpoints(call, decodeAs), { concurrency: 4 })
        : pages
    }

    const offered = Effect.flatMap(deps.defaultRegion, (fallback) =>
      Regions.describeRegions(
        call,
        decodeAs,
        Option.getOrElse(fallback, () => Regions.ANY_REGION)
      )
    )

    const listClusters = (request: ListRequest): Stream.Stream<ClusterSummary, ProviderError> =>
      Stream.unwrap(
        Effect.gen(function* () {
          const regions =
            request.allRegions === true
              ? yield* offered
              : request.regions.length > 0
                ? request.regions
                : Option.toArray(yield* deps.defaultRegion)
          if (regions.length === 0) {
            return yield* new InvalidInput({
              field: "regions",
              detail: "no region given, TENCENTCLOUD_REGION is unset and the tccli profile names none"
            })
          }
          const ids = new Set(request.clusterIds ?? [])
          return Stream.fromIterable([...new Set(regions)]).pipe(
            Stream.flatMap((region) => listRegion(region, request), { concurrency: 4 }),
            // ClusterIds is a server-side filter; this keeps the contract even if a server ignores it.
            Stream.filter(
              (summary) =>
                (ids.size === 0 || ids.has(summary.clusterId)) &&
                (request.name === undefined || summary.name === request.name)
            )
          )
        })
      )

    return {
      provider: "tencent",
      defaultRegion: deps.defaultRegion,
      regions: offered,
      fetch,
      listClusters
    } satisfies KubeconfigSource.Service
  })
