import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type { ClusterSummary, ListRequest } from "../ClusterSummary.js"
import { cached } from "../CredentialChain.js"
import type { FetchedKubeconfig } from "../FetchedKubeconfig.js"
import { FetchRequest } from "../FetchRequest.js"
import { BoundExceeded, InvalidInput, MalformedResponse, type ProviderError } from "../KubecredError.js"
import type * as KubeconfigSource from "../KubeconfigSource.js"
import { AnswerBounds, ThrottlePolicy } from "../Policy.js"
import type { ProviderName } from "../Provider.js"
import type { Answer, Credentials, FetchRequestOf, Page, ProviderSpec } from "../ProviderEngine.js"
import { parse as parseKubeconfig } from "../ProviderKubeconfig.js"
import { makeKeyedPacers } from "../RateLimit.js"
import { Region } from "../Region.js"
import { withRetries } from "../Resilience.js"

export const REGION_CONCURRENCY = 4

const decodeFetch = Schema.decodeUnknownEither(FetchRequest, { errors: "first" })
const decodeRegion = Schema.decodeUnknownEither(Region)

const invalid = (error: ParseResult.ParseError, field?: string) =>
  new InvalidInput({
    ...(field === undefined ? {} : { field }),
    detail: ParseResult.ArrayFormatter.formatErrorSync(error)
      .map((issue) => issue.message)
      .join("; ")
  })

export const make = <P extends ProviderName, C extends Credentials, Cursor>(
  spec: ProviderSpec<P, C, Cursor>
): Effect.Effect<KubeconfigSource.Service> =>
  Effect.gen(function* () {
    const credentials = yield* cached(spec.credentials)
    const pacers = yield* makeKeyedPacers
    const provider: ProviderName = spec.provider

    /** One call: credentials, then paced attempts under the retry policy, in one span. */
    const call = <A>(
      action: string,
      attributes: Record<string, string>,
      attempt: (credentials: C) => Effect.Effect<Answer<A>, ProviderError>
    ): Effect.Effect<{ readonly value: Answer<A>; readonly attempts: number }, ProviderError> =>
      Effect.gen(function* () {
        yield* spec.ready
        const creds = yield* credentials
        const throttle = yield* ThrottlePolicy
        const limit = throttle.requestsPerSecond[provider]
        const result = yield* withRetries(
          Effect.suspend(() => attempt(creds)).pipe(
            Effect.tapError((error) =>
              Effect.logDebug(`${provider} ${action} attempt failed: ${error.message}`).pipe(
                Effect.annotateLogs({ action, error: error._tag, retryable: error.retryable })
              )
            ),
            Effect.onInterrupt(() =>
              Effect.logDebug(`${provider} ${action} attempt interrupted`).pipe(
                Effect.annotateLogs({ action, error: "Interrupted" })
              )
            )
          ),
          { provider, action },
          // the pacer waits outside each attempt's timeout: queueing for a slot is not a slow answer
          { gate: pacers.paced(`${provider}:${spec.keyId(creds)}:${action}`, limit * throttle.headroom, limit) }
        )
        yield* Effect.annotateCurrentSpan({
          "kubecred.attempts": result.attempts,
          "kubecred.credentials": creds.source,
          ...(result.value.requestId === undefined ? {} : { "kubecred.request_id": result.value.requestId })
        })
        return result
      }).pipe(
        Effect.tapError((error) => Effect.annotateCurrentSpan({ "kubecred.error": error._tag })),
        Effect.withSpan(`kubecred.${provider}.${action}`, {
          kind: "client",
          captureStackTrace: false,
          attributes: { "kubecred.provider": provider, "kubecred.transport": spec.transport, ...attributes }
        })
      )

    const fetch = (request: FetchRequest): Effect.Effect<FetchedKubeconfig, ProviderError> =>
      Effect.gen(function* () {
        if (request._tag !== provider) {
          return yield* new InvalidInput({
            field: "provider",
            detail: `a ${request._tag} request cannot be sent to ${provider}`
          })
        }
        const valid = yield* Either.match(decodeFetch(request), {
          onLeft: (error) => Effect.fail(invalid(error)),
          onRight: (decoded) => Effect.succeed(decoded as FetchRequestOf<P>)
        })
        const action = spec.actions.fetch
        const { value, attempts } = yield* call(
          action,
          { "kubecred.region": valid.region, "kubecred.cluster_id": valid.clusterId },
          (creds) => spec.fetchOnce(valid, creds)
        )
        const parsed = yield* Either.match(parseKubeconfig(value.value.kubeconfig, value.value.expiration), {
          onLeft: (detail) =>
            Effect.fail(
              new MalformedResponse({
                provider,
                action,
                detail,
                ...(value.requestId === undefined ? {} : { requestId: value.requestId })
              })
            ),
          onRight: Effect.succeed
        })
        const fetchedAt = yield* DateTime.now
        return {
          document: parsed.document,
          expiresAt: parsed.expiresAt,
          provenance: {
            provider,
            region: valid.region,
            clusterId: valid.clusterId,
            endpoint: valid.endpoint,
            fetchedAt,
            ...(Option.isSome(parsed.expiresAt) ? { expiresAt: parsed.expiresAt.value } : {}),
            ...(parsed.identity === undefined ? {} : { identity: parsed.identity }),
            credential: "embedded"
          },
          requestId: value.requestId,
          attempts
        } satisfies FetchedKubeconfig
      })

    /** Every page of one region (or of the account), bounded: page count, and a page repeating clusters already seen. */
    const listRegion = (
      region: string,
      request: ListRequest,
      accountWide = false
    ): Stream.Stream<ClusterSummary, ProviderError> =>
      Stream.unwrap(
        Effect.gen(function* () {
          const bounds = yield* AnswerBounds
          const action = spec.actions.list
          const seen = new Set<string>()
          let pages = 0
          const query: ListRequest = { ...request, regions: [region] }
          const ids = request.clusterIds === undefined ? undefined : new Set(request.clusterIds)
          const wanted = (summary: ClusterSummary) =>
            (accountWide || summary.region === region) &&
            (ids === undefined || ids.has(summary.clusterId)) &&
            (request.name === undefined || summary.name === request.name)
          const bound = (kind: BoundExceeded["bound"], detail: string, requestId: string | undefined) =>
            new BoundExceeded({
              provider,
              action,
              bound: kind,
              detail,
              ...(requestId === undefined ? {} : { requestId })
            })
          const page = (cursor: Cursor) =>
            call(action, { "kubecred.region": region }, (creds) =>
              spec.listPage({ region, accountWide, cursor, request: query }, creds)
            ).pipe(
              Effect.flatMap(
                ({
                  value
                }): Effect.Effect<readonly [Chunk.Chunk<ClusterSummary>, Option.Option<Cursor>], BoundExceeded> => {
                  pages++
                  const page: Page<Cursor> = value.value
                  const fresh = page.clusters.filter((c) => !seen.has(c.clusterId))
                  if (page.clusters.length > 0 && fresh.length === 0) {
                    return Effect.fail(
                      bound(
                        "repeated-page",
                        `page ${pages} of ${region} repeats clusters already listed; the listing was stopped`,
                        value.requestId
                      )
                    )
                  }
                  for (const c of fresh) seen.add(c.clusterId)
                  if (Option.isSome(page.next) && pages >= bounds.maxPages) {
                    return Effect.fail(
                      bound(
                        "pages",
                        `${region} has more than ${bounds.maxPages} pages; the listing was stopped`,
                        value.requestId
                      )
                    )
                  }
                  return Effect.succeed([Chunk.fromIterable(fresh.filter(wanted)), page.next] as const)
                }
              )
            )
          const listed = Stream.paginateChunkEffect(spec.firstPage, page)
          const endpoints = spec.endpoints
          if (request.endpoints !== true || endpoints === undefined) return listed
          return Stream.mapEffect(
            listed,
            (summary) =>
              call(
                endpoints.action,
                { "kubecred.region": summary.region, "kubecred.cluster_id": summary.clusterId },
                (creds) => endpoints.once(summary, creds)
              ).pipe(
                Effect.map(({ value }) => value.value),
                Effect.catchIf(
                  (error) => error._tag === "ClusterNotFound" || error._tag === "ClusterUnavailable",
                  () => Effect.succeed(summary)
                )
              ),
            { concurrency: REGION_CONCURRENCY }
          )
        })
      )

    const allRegions = spec.allRegions
    /** Every region the account has clusters in (account-wide), or the provider offers (per-region). */
    const regions: Effect.Effect<ReadonlyArray<string>, ProviderError> = allRegions.kind === "account-wide"
      ? Effect.flatMap(allRegions.home, (home) =>
          Effect.map(Stream.runCollect(listRegion(home, { regions: [] }, true)), (rows) => [
            ...new Set(Chunk.toReadonlyArray(rows).map((row) => row.region))
          ])
        )
      : Effect.map(
          call(allRegions.action, {}, (creds) => allRegions.once(creds)),
          ({ value }) => value.value
        )

    const listClusters = (request: ListRequest): Stream.Stream<ClusterSummary, ProviderError> =>
      Stream.unwrap(
        Effect.gen(function* () {
          if (request.clusterIds !== undefined && request.clusterIds.length === 0) return Stream.empty
          if (request.allRegions === true && allRegions.kind === "account-wide") {
            return listRegion(yield* allRegions.home, request, true)
          }
          const given =
            request.allRegions === true
              ? yield* regions
              : request.regions.length > 0
                ? request.regions
                : Option.toArray(yield* spec.defaultRegion)
          if (given.length === 0) return yield* new InvalidInput({ field: "region", detail: spec.noRegion })
          const checked: Array<string> = []
          for (const region of given) {
            const decoded = decodeRegion(region)
            if (Either.isLeft(decoded)) return yield* invalid(decoded.left, "region")
            if (!checked.includes(decoded.right)) checked.push(decoded.right)
          }
          const bounds = yield* AnswerBounds
          const overtime = Effect.sleep(bounds.maxListingTime).pipe(
            Effect.zipRight(
              Effect.fail(
                new BoundExceeded({
                  provider,
                  action: spec.actions.list,
                  bound: "listing-time",
                  detail: `the listing took longer than ${Duration.format(bounds.maxListingTime)}; it was stopped`
                })
              )
            )
          )
          return Stream.fromIterable(checked).pipe(
            Stream.flatMap((region) => listRegion(region, request), { concurrency: REGION_CONCURRENCY }),
            Stream.interruptWhen(overtime)
          )
        })
      )

    /** One call for the first page of the id-filtered listing; a longer answer (not expected) is paged on. */
    const describeCluster = (cluster: {
      readonly region: string
      readonly clusterId: string
    }): Effect.Effect<Option.Option<ClusterSummary>, ProviderError> =>
      Effect.gen(function* () {
        const decoded = decodeRegion(cluster.region)
        if (Either.isLeft(decoded)) return yield* invalid(decoded.left, "region")
        const region = decoded.right
        const request: ListRequest = { regions: [region], clusterIds: [cluster.clusterId] }
        const { value } = yield* call(spec.actions.list, { "kubecred.region": region }, (creds) =>
          spec.listPage({ region, accountWide: false, cursor: spec.firstPage, request }, creds)
        )
        const page: Page<Cursor> = value.value
        const found = page.clusters.find((c) => c.clusterId === cluster.clusterId && c.region === region)
        if (found !== undefined || Option.isNone(page.next)) return Option.fromNullable(found)
        return yield* Stream.runHead(
          Stream.filter(listRegion(region, request), (c) => c.clusterId === cluster.clusterId)
        )
      })

    return {
      provider,
      defaultRegion: spec.defaultRegion,
      regions,
      fetch,
      listClusters,
      describeCluster
    } satisfies KubeconfigSource.Service
  })
