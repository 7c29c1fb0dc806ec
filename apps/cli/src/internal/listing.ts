/**
 * Listing clusters for `list` and `sync`: the regions named, the mock's, the default one, or every region the
 * cloud offers (`--all-regions`: TKE asks DescribeRegions and lists each region; ACK's DescribeClustersV1 is
 * account-wide, so it is one paged listing). Under --all-regions a region the account cannot use is a warning and
 * is skipped; any other failure of one region leaves the answer partial (the rest is still used; exit 7).
 */
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import { InvalidInput, type ProviderError } from "@kubecred/core/KubecredError"
import type { ProviderName } from "@kubecred/core/Provider"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { Providers } from "./Providers.js"

export interface Scope {
  readonly regions: ReadonlyArray<string>
  readonly all: boolean
}

export interface Listing {
  readonly provider: ProviderName
  readonly clusters: ReadonlyArray<ClusterSummary>
  /** The regions that answered; `"*"` when one account-wide listing answered for all. */
  readonly answered: ReadonlyArray<string> | "*"
  /** Regions skipped because the account cannot use them. */
  readonly skipped: ReadonlyArray<{ readonly region: string; readonly reason: string }>
  /** Regions that failed otherwise: the answer is partial. */
  readonly failed: ReadonlyArray<{ readonly region: string; readonly error: ProviderError }>
}

/** An answer meaning "this account cannot use this region" (TKE UnsupportedRegion), not a failure of the call. */
export const isUnusableRegion = (error: ProviderError): boolean => {
  const code = (error as { code?: unknown }).code
  if (typeof code === "string" && /^(UnsupportedRegion|InvalidRegion|Region\.)/.test(code)) return true
  return error._tag === "InvalidInput" && error.field === "region" && /UnsupportedRegion/.test(error.detail)
}

const collect = (stream: Stream.Stream<ClusterSummary, ProviderError>) =>
  Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

/**
 * The regions to look in when --all-regions is not given: --region..., the mock's, or the provider's default.
 * Nothing is sent to decide it, apart from the default region's profile lookup.
 */
export const namedRegions = (
  provider: ProviderName,
  regions: ReadonlyArray<string>,
  resolveDefault: Effect.Effect<string, ProviderError, Providers>,
  validate: (region: string) => Effect.Effect<string, InvalidInput>
): Effect.Effect<ReadonlyArray<string>, ProviderError, Providers> =>
  Effect.gen(function* () {
    if (regions.length > 0) return yield* Effect.forEach(regions, validate)
    const providers = yield* Providers
    if (Option.isSome(providers.mock)) {
      return [...new Set(providers.mock.value[provider].clusters.map((c) => c.region))]
    }
    return [yield* resolveDefault]
  })

/** One provider's clusters in a scope. A region named explicitly that fails fails the listing. */
export const listIn = (
  provider: ProviderName,
  scope: Scope,
  namedRegionsOf: Effect.Effect<ReadonlyArray<string>, ProviderError, Providers>,
  options: { readonly endpoints?: boolean } = {}
): Effect.Effect<Listing, ProviderError, Providers> =>
  Effect.gen(function* () {
    if (scope.all && scope.regions.length > 0) {
      return yield* new InvalidInput({ field: "region", detail: "give --region or --all-regions, not both" })
    }
    const providers = yield* Providers
    const source = yield* providers.source(provider)
    const endpoints = options.endpoints === true ? { endpoints: true } : {}
    if (!scope.all) {
      const regions = yield* namedRegionsOf
      const clusters = yield* collect(source.listClusters({ regions, ...endpoints }))
      return { provider, clusters, answered: regions, skipped: [], failed: [] }
    }
    if (provider === "alibaba") {
      const clusters = yield* collect(source.listClusters({ regions: [], allRegions: true, ...endpoints }))
      return { provider, clusters, answered: "*", skipped: [], failed: [] }
    }
    const offered = yield* source.regions
    const outcomes = yield* Effect.forEach(
      offered,
      (region) =>
        Effect.map(Effect.either(collect(source.listClusters({ regions: [region], ...endpoints }))), (result) => ({
          region,
          result
        })),
      { concurrency: 4 }
    )
    const clusters: Array<ClusterSummary> = []
    const answered: Array<string> = []
    const skipped: Array<{ region: string; reason: string }> = []
    const failed: Array<{ region: string; error: ProviderError }> = []
    for (const { region, result } of outcomes) {
      if (Either.isRight(result)) {
        clusters.push(...result.right)
        answered.push(region)
      } else if (isUnusableRegion(result.left)) {
        skipped.push({ region, reason: result.left.message })
      } else {
        failed.push({ region, error: result.left })
      }
    }
    // nothing answered: not a partial answer but a failure (bad credentials fail every region alike)
    if (answered.length === 0 && failed.length > 0) return yield* Effect.fail(failed[0]!.error)
    return { provider, clusters, answered, skipped, failed }
  })

/** Whether a context's region was answered by the listing (what `sync --prune` may prune). */
export const answeredFor = (listing: Listing, region: string): boolean =>
  listing.answered === "*" || listing.answered.includes(region)
