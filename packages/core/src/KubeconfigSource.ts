/**
 * The port the providers implement: fetch a kubeconfig, list clusters. The error channel is the taxonomy.
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type * as Stream from "effect/Stream"
import type { ClusterSummary, ListRequest } from "./ClusterSummary.js"
import type { FetchedKubeconfig } from "./FetchedKubeconfig.js"
import type { FetchRequest } from "./FetchRequest.js"
import type { ProviderError } from "./KubecredError.js"
import type { ProviderName } from "./Provider.js"

export interface Service {
  readonly provider: ProviderName
  /** The region to use when the caller gives none: the provider's env variable, then its CLI profile. */
  readonly defaultRegion: Effect.Effect<Option.Option<string>>
  readonly fetch: (request: FetchRequest) => Effect.Effect<FetchedKubeconfig, ProviderError>
  /**
   * The regions the provider offers (TKE: DescribeRegions), for callers that look in each one themselves;
   * ACK, which lists account-wide, answers the regions of the account's clusters.
   */
  readonly regions: Effect.Effect<ReadonlyArray<string>, ProviderError>
  /** Every page of every region, lazily. */
  readonly listClusters: (request: ListRequest) => Stream.Stream<ClusterSummary, ProviderError>
  /**
   * One cluster's row, by id: one listing call filtered by the id (both APIs filter server-side), none when
   * the region holds no such cluster. What `add` records the cluster's name from, without a paged listing.
   */
  readonly describeCluster: (cluster: {
    readonly region: string
    readonly clusterId: string
  }) => Effect.Effect<Option.Option<ClusterSummary>, ProviderError>
}

export class KubeconfigSource extends Context.Tag("@kubecred/core/KubeconfigSource")<KubeconfigSource, Service>() {}
