/**
 * One row of a cluster listing, the same for both providers.
 */
import * as Schema from "effect/Schema"
import { ProviderName } from "./Provider.js"

/** Statuses folded into what a kubectl user needs to know. */
export const ClusterPhase = Schema.Literal(
  "running",
  "creating",
  "updating",
  "abnormal",
  "deleting",
  "deleted",
  "other"
)
export type ClusterPhase = typeof ClusterPhase.Type

export const ClusterSummary = Schema.Struct({
  provider: ProviderName,
  region: Schema.String,
  clusterId: Schema.String,
  name: Schema.String,
  /** The provider's own status word (TKE `Running`, ACK `running`). */
  status: Schema.String,
  phase: ClusterPhase,
  version: Schema.optional(Schema.String),
  /** Which API server addresses the provider reports as enabled, as far as the listing tells. */
  endpoints: Schema.Struct({ public: Schema.optional(Schema.String), private: Schema.optional(Schema.String) })
}).annotations({ identifier: "ClusterSummary" })
export type ClusterSummary = typeof ClusterSummary.Type

export const ListRequest = Schema.Struct({
  /** One or more regions; TKE lists per region, ACK lists account-wide and filters by region. */
  regions: Schema.Array(Schema.String),
  /** Only these cluster ids. */
  clusterIds: Schema.optional(Schema.Array(Schema.String)),
  /** Exact cluster name (server-side filter where the API has one). */
  name: Schema.optional(Schema.String),
  /**
   * Every region the account has: ACK lists account-wide in one paged listing (no region filter); TKE asks
   * DescribeRegions and lists each region. `regions` is ignored then.
   */
  allRegions: Schema.optional(Schema.Boolean),
  /** Fill `endpoints` where the listing lacks them (TKE: one DescribeClusterEndpoints per cluster). */
  endpoints: Schema.optional(Schema.Boolean)
})
export type ListRequest = typeof ListRequest.Type
