/**
 * The KubeconfigSource port on top of one transport: input checked before any request, credentials resolved
 * lazily, every attempt paced per account and action (shared by all fibers) and run under core's retry
 * discipline, answers turned into FetchedKubeconfig / ClusterSummary.
 */
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { ClusterPhase, ClusterSummary, ListRequest } from "@kubecred/core/ClusterSummary"
import type { FetchedKubeconfig } from "@kubecred/core/FetchedKubeconfig"
import { AlibabaFetchRequest, type FetchRequest } from "@kubecred/core/FetchRequest"
import type * as KubeconfigSource from "@kubecred/core/KubeconfigSource"
import { InvalidInput, type ProviderError } from "@kubecred/core/KubecredError"
import { ThrottlePolicy } from "@kubecred/core/Policy"
import type { Provenance } from "@kubecred/core/Provenance"
import { makeKeyedPacers } from "@kubecred/core/RateLimit"
import { Region } from "@kubecred/core/Region"
import { withRetries } from "@kubecred/core/Resilience"
import * as AckCredentials from "../AckCredentials.js"
import { malformed } from "./errorMapping.js"
import { parseConfig } from "./kubeconfig.js"
import { type AckTransport, type Answered, DESCRIBE_CLUSTERS, DESCRIBE_KUBECONFIG } from "./transport.js"
import type { ClusterRow } from "./wire.js"

export const PAGE_SIZE = 100

const phases: Record<string, ClusterPhase> = {
  running: "running",
  initial: "creating",
  creating: "creating",
  updating: "updating",
  upgrading: "updating",
  scaling: "updating",
  migrating: "updating",
  waiting: "updating",
  failed: "abnormal",
  unavailable: "abnormal",
  disconnected: "abnormal",
  inactive: "abnormal",
  stopped: "abnormal",
  delete_failed: "abnormal",
  deleting: "deleting",
  removing: "deleting",
  deleted: "deleted"
}

/** ACK's `state` folded into the shared phases. */
export const phaseOf = (state: string): ClusterPhase => phases[state.toLowerCase()] ?? "other"

/** `master_url` is a JSON string: public `api_server_endpoint`, private `intranet_api_server_endpoint`. */
export const endpointsOf = (masterUrl: string | null | undefined): ClusterSummary["endpoints"] => {
  if (!masterUrl) return {}
  try {
    const parsed = JSON.parse(masterUrl) as Record<string, unknown>
    const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined)
    const pub = text(parsed.api_server_endpoint)
    const priv = text(parsed.intranet_api_server_endpoint)
    return { ...(pub === undefined ? {} : { public: pub }), ...(priv === undefined ? {} : { private: priv }) }
  } catch {
    return {}
  }
}

export const summaryOf = (row: ClusterRow): ClusterSummary => ({
  provider: "alibaba",
  region: row.region_id,
  clusterId: row.cluster_id,
  name: row.name,
  status: row.state,
  phase: phaseOf(row.state),
  ...(row.current_version ? { version: row.current_version } : {}),
  endpoints: endpointsOf(row.master_url)
})

const invalid = (error: ParseResult.ParseError, field?: string) =>
  new InvalidInput({
    ...(field ? { field } : {}),
    detail: ParseResult.ArrayFormatter.formatErrorSync(error)
      .map((i) => i.message)
      .join("; ")
  })

const decodeFetch = Schema.decodeUnknownEither(AlibabaFetchRequest, { errors: "first" })
const decodeRegion = Schema.decodeUnknownEither(Region)

export const make = (
  transport: AckTransport,
  chain: AckCredentials.ChainOptions
): Effect.Effect<KubeconfigSource.Service> =>
  Effect.gen(function* () {
    const credentials = yield* AckCredentials.memoized(chain)
    const pacers = yield* makeKeyedPacers

    /** One operation: credentials, then paced attempts under the retry policy. */
    const guarded = <A>(
      action: string,
      attempt: (credentials: AckCredentials.AckCredentials) => Effect.Effect<Answered<A>, ProviderError>
    ): Effect.Effect<{ readonly value: Answered<A>; readonly attempts: number }, ProviderError> =>
      Effect.gen(function* () {
        const creds: AckCredentials.ResolvedCredentials = yield* credentials
        const throttle = yield* ThrottlePolicy
        const limit = throttle.requestsPerSecond.alibaba
        const result = yield* withRetries(
          Effect.suspend(() => attempt(creds)).pipe(
            Effect.tapError((error) =>
              Effect.logDebug(`ACK ${action} attempt failed: ${error.message}`).pipe(
                Effect.annotateLogs({ action, error: error._tag, retryable: error.retryable })
              )
            ),
            // cut by the attempt timeout (retried as Transport), the deadline, or the caller
            Effect.onInterrupt(() =>
              Effect.logDebug(`ACK ${action} attempt interrupted`).pipe(
                Effect.annotateLogs({ action, error: "Interrupted" })
              )
            )
          ),
          { provider: "alibaba", action },
          // the pacer waits outside each attempt's timeout: queueing for a slot is not a slow answer
          { gate: pacers.paced(`${creds.accessKeyId}/${action}`, limit * throttle.headroom, limit) }
        )
        yield* Effect.annotateCurrentSpan({
          "kubecred.attempts": result.attempts,
          "kubecred.request_id": result.value.requestId ?? "",
          "kubecred.credentials": creds.source
        })
        return result
      }).pipe(
        Effect.tapError((error) => Effect.annotateCurrentSpan({ "kubecred.error": error._tag })),
        Effect.withSpan(`kubecred.alibaba.${action}`, { attributes: { "kubecred.provider": "alibaba" } })
      )

    const fetch = (request: FetchRequest): Effect.Effect<FetchedKubeconfig, ProviderError> =>
      Effect.gen(function* () {
        if (request._tag !== "alibaba") {
          return yield* Effect.fail(
            new InvalidInput({ field: "provider", detail: `the ACK client cannot fetch a ${request._tag} cluster` })
          )
        }
        const checked = yield* Either.match(decodeFetch(request), {
          onLeft: (e) => Effect.fail(invalid(e)),
          onRight: Effect.succeed
        })
        const { value, attempts } = yield* guarded(DESCRIBE_KUBECONFIG, (creds) =>
          transport.describeClusterUserKubeconfig(
            {
              region: checked.region,
              clusterId: checked.clusterId,
              privateIpAddress: checked.endpoint === "private",
              temporaryDurationMinutes: checked.temporaryDurationMinutes
            },
            creds
          )
        )
        const parsed = yield* Either.match(parseConfig(value.value.config, value.value.expiration), {
          onLeft: (reason) => Effect.fail(malformed({ action: DESCRIBE_KUBECONFIG }, reason, value.requestId)),
          onRight: Effect.succeed
        })
        const fetchedAt = yield* DateTime.now
        const provenance: Provenance = {
          provider: "alibaba",
          region: checked.region,
          clusterId: checked.clusterId,
          endpoint: checked.endpoint,
          fetchedAt,
          ...(Option.isSome(parsed.expiresAt) ? { expiresAt: parsed.expiresAt.value } : {}),
          ...(parsed.identity === undefined ? {} : { identity: parsed.identity }),
          credential: "embedded"
        }
        return {
          document: parsed.document,
          expiresAt: parsed.expiresAt,
          provenance,
          requestId: value.requestId,
          attempts
        }
      })

    /** Every page of one region, or of the whole account (`accountWide`: no region_id, `region` picks the endpoint). */
    const listPages = (
      region: string,
      request: ListRequest,
      accountWide: boolean
    ): Stream.Stream<ClusterSummary, ProviderError> => {
      const ids = request.clusterIds
      const serverId = ids !== undefined && ids.length === 1 ? ids[0] : undefined
      const wanted = (row: ClusterRow) =>
        (accountWide || row.region_id === region) &&
        (ids === undefined || ids.includes(row.cluster_id)) &&
        (request.name === undefined || row.name === request.name)
      return Stream.paginateChunkEffect(1, (pageNumber) =>
        guarded(DESCRIBE_CLUSTERS, (creds) =>
          transport.describeClustersV1(
            { region, pageNumber, pageSize: PAGE_SIZE, clusterId: serverId, name: request.name, accountWide },
            creds
          )
        ).pipe(
          Effect.map(({ value }) => {
            const { clusters, page_info } = value.value
            const seen = (page_info.page_number - 1) * page_info.page_size + clusters.length
            const more = clusters.length > 0 && seen < page_info.total_count
            return [
              Chunk.fromIterable(clusters.filter(wanted).map(summaryOf)),
              more ? Option.some(pageNumber + 1) : Option.none<number>()
            ] as const
          })
        )
      )
    }

    /** The endpoint an account-wide listing goes to: the default region's, else cn-hangzhou's. */
    const homeRegion = Effect.map(
      AckCredentials.defaultRegion(chain),
      Option.getOrElse(() => "cn-hangzhou")
    )

    const listClusters = (request: ListRequest): Stream.Stream<ClusterSummary, ProviderError> => {
      if (request.clusterIds !== undefined && request.clusterIds.length === 0) return Stream.empty
      if (request.allRegions === true) {
        return Stream.unwrap(Effect.map(homeRegion, (region) => listPages(region, request, true)))
      }
      return Stream.fromIterable(request.regions).pipe(
        Stream.mapEffect((region) =>
          Either.match(decodeRegion(region), {
            onLeft: (e) => Effect.fail(invalid(e, "region")),
            onRight: Effect.succeed
          })
        ),
        Stream.flatMap((region) => listPages(region, request, false))
      )
    }

    /** ACK has no region listing of its own here: the regions of the account's clusters, from one listing. */
    const regions = Effect.flatMap(homeRegion, (region) =>
      Stream.runCollect(listPages(region, { regions: [] }, true)).pipe(
        Effect.map((rows) => [...new Set(Chunk.toReadonlyArray(rows).map((row) => row.region))])
      )
    )

    return {
      provider: "alibaba",
      defaultRegion: AckCredentials.defaultRegion(chain),
      regions,
      fetch,
      listClusters
    } satisfies KubeconfigSource.Service
  })
