/**
 * The port the providers implement: fetch a kubeconfig, list clusters. The error channel is the taxonomy.
 */
import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import type { ClusterSummary, ListRequest } from "./ClusterSummary.js"
import type { FetchedKubeconfig } from "./FetchedKubeconfig.js"
import type { FetchRequest } from "./FetchRequest.js"
import type { ProviderError } from "./KubecredError.js"
import type { ProviderName } from "./Provider.js"

export interface Service {
  readonly provider: ProviderName
  readonly fetch: (request: FetchRequest) => Effect.Effect<FetchedKubeconfig, ProviderError>
  /** Every page of every region, lazily. */
  readonly listClusters: (request: ListRequest) => Stream.Stream<ClusterSummary, ProviderError>
}

export class KubeconfigSource extends Context.Tag("@kubecred/core/KubeconfigSource")<KubeconfigSource, Service>() {}
