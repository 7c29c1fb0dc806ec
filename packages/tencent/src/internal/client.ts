/**
 * TKE as a provider spec for the core engine (@kubecred/core/ProviderEngine): the two operations of the
 * transport, the status words, the paging (Offset/Limit until TotalCount). Everything else (validation, empty
 * lists, pacing, retries, spans, bounds, provenance) is the engine's.
 */
import type { ClusterPhase, ClusterSummary } from "@kubecred/core/ClusterSummary"
import type * as KubeconfigSource from "@kubecred/core/KubeconfigSource"
import * as ProviderEngine from "@kubecred/core/ProviderEngine"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { ENV_REGION } from "../TkeEnvironment.js"
import type { ChainError, ResolvedCredentials } from "../TkeCredentials.js"
import * as Endpoints from "./endpoints.js"
import * as Regions from "./regions.js"
import type { Cluster } from "./responses.js"
import type { TkeTransport } from "./transport.js"

export const PAGE_SIZE = 100

export interface ClientDeps {
  readonly transport: TkeTransport
  readonly credentials: Effect.Effect<ResolvedCredentials, ChainError>
  readonly defaultRegion: Effect.Effect<Option.Option<string>>
}

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

/** The spec the engine turns into the service. */
export const spec = (deps: ClientDeps): ProviderEngine.ProviderSpec<"tencent", ResolvedCredentials, number> => ({
  provider: "tencent",
  transport: deps.transport.name,
  actions: { fetch: "DescribeClusterKubeconfig", list: "DescribeClusters" },
  ready: deps.transport.ready,
  credentials: deps.credentials,
  keyId: (credentials) => credentials.secretId,
  defaultRegion: deps.defaultRegion,
  noRegion: `no region given, ${ENV_REGION} is unset and the tccli profile names none`,
  fetchOnce: (request, credentials) =>
    Effect.map(
      deps.transport.describeClusterKubeconfig(
        { region: request.region, clusterId: request.clusterId, extranet: request.endpoint === "public" },
        credentials
      ),
      ({ value, requestId }) => ({ value: { kubeconfig: value.Kubeconfig }, requestId: value.RequestId ?? requestId })
    ),
  allRegions: {
    kind: "per-region",
    action: Regions.ACTION,
    once: (credentials) =>
      Effect.flatMap(deps.defaultRegion, (fallback) =>
        Effect.map(
          deps.transport.describeRegions(
            Option.getOrElse(fallback, () => Regions.ANY_REGION),
            credentials
          ),
          ({ value, requestId }) => ({ value: Regions.regionNames(value), requestId })
        )
      )
  },
  endpoints: {
    action: Endpoints.ACTION,
    once: (summary, credentials) =>
      Effect.map(
        deps.transport.describeClusterEndpoints({ region: summary.region, clusterId: summary.clusterId }, credentials),
        ({ value, requestId }) => ({ value: Endpoints.withEndpoints(summary, value), requestId })
      )
  },
  firstPage: 0,
  listPage: ({ region, cursor, request }, credentials) =>
    Effect.map(
      deps.transport.describeClusters(
        { region, offset: cursor, limit: PAGE_SIZE, clusterIds: request.clusterIds, name: request.name },
        credentials
      ),
      ({ value, requestId }) => {
        const next = cursor + value.Clusters.length
        return {
          value: {
            clusters: value.Clusters.map((cluster) => toSummary(region, cluster)),
            next: value.Clusters.length > 0 && next < value.TotalCount ? Option.some(next) : Option.none()
          },
          requestId
        }
      }
    )
})

export const make = (deps: ClientDeps): Effect.Effect<KubeconfigSource.Service> => ProviderEngine.make(spec(deps))
