/**
 * ACK as a provider spec for the core engine (@kubecred/core/ProviderEngine): the two operations of the
 * transport, the state words, the `master_url` endpoints, the paging (page_number until total_count).
 * Everything else (validation, empty lists, pacing, retries, spans, bounds, provenance) is the engine's.
 */
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { ClusterPhase, ClusterSummary } from "@kubecred/core/ClusterSummary"
import type * as KubeconfigSource from "@kubecred/core/KubeconfigSource"
import * as ProviderEngine from "@kubecred/core/ProviderEngine"
import * as AckCredentials from "../AckCredentials.js"
import { ENV_REGION } from "../AckEnvironment.js"
import { type AckTransport, DESCRIBE_CLUSTERS, DESCRIBE_KUBECONFIG } from "./transport.js"
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

/** The spec the core engine turns into the service. */
export const spec = (
  transport: AckTransport,
  chain: AckCredentials.ChainOptions
): ProviderEngine.ProviderSpec<"alibaba", AckCredentials.ResolvedCredentials, number> => ({
  provider: "alibaba",
  transport: transport.name,
  actions: { fetch: DESCRIBE_KUBECONFIG, list: DESCRIBE_CLUSTERS },
  ready: transport.ready,
  credentials: AckCredentials.resolve(chain),
  keyId: (credentials) => credentials.accessKeyId,
  defaultRegion: AckCredentials.defaultRegion(chain),
  noRegion: `no region given, ${ENV_REGION} is unset and the aliyun CLI profile names none`,
  fetchOnce: (request, credentials) =>
    Effect.map(
      transport.describeClusterUserKubeconfig(
        {
          region: request.region,
          clusterId: request.clusterId,
          privateIpAddress: request.endpoint === "private",
          temporaryDurationMinutes: request.temporaryDurationMinutes
        },
        credentials
      ),
      ({ value, requestId }) => ({ value: { kubeconfig: value.config, expiration: value.expiration }, requestId })
    ),
  // ACK lists account-wide: every region in one listing, sent to the default region's endpoint
  allRegions: {
    kind: "account-wide",
    home: Effect.map(
      AckCredentials.defaultRegion(chain),
      Option.getOrElse(() => "cn-hangzhou")
    )
  },
  firstPage: 1,
  listPage: ({ region, accountWide, cursor, request }, credentials) => {
    const ids = request.clusterIds
    return Effect.map(
      transport.describeClustersV1(
        {
          region,
          pageNumber: cursor,
          pageSize: PAGE_SIZE,
          // the API filters by one id; more are filtered by the engine
          clusterId: ids !== undefined && ids.length === 1 ? ids[0] : undefined,
          name: request.name,
          accountWide
        },
        credentials
      ),
      ({ value, requestId }) => {
        const { clusters, page_info } = value
        const seen = (page_info.page_number - 1) * page_info.page_size + clusters.length
        return {
          value: {
            clusters: clusters.map(summaryOf),
            next: clusters.length > 0 && seen < page_info.total_count ? Option.some(cursor + 1) : Option.none()
          },
          requestId
        }
      }
    )
  }
})

export const make = (
  transport: AckTransport,
  chain: AckCredentials.ChainOptions
): Effect.Effect<KubeconfigSource.Service> => ProviderEngine.make(spec(transport, chain))
