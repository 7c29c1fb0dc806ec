/**
 * TKE `DescribeClusterEndpoints`: a cluster's API server addresses. The `Cluster` of DescribeClusters carries
 * none (tencentcloud-sdk-nodejs-tke's model), so a listing that wants them asks once per cluster.
 * `ClusterExternalEndpoint` is the public address, `ClusterIntranetEndpoint` the private one; empty when that
 * side is not enabled. Wire contract: docs/tke-regions-and-endpoints.md.
 */
import type { ClusterSummary } from "@kubecred/core/ClusterSummary"
import * as Schema from "effect/Schema"

export const ACTION = "DescribeClusterEndpoints"

export const DescribeClusterEndpointsResponse = Schema.Struct({
  ClusterExternalEndpoint: Schema.optional(Schema.NullOr(Schema.String)),
  ClusterIntranetEndpoint: Schema.optional(Schema.NullOr(Schema.String)),
  RequestId: Schema.optional(Schema.String)
})

const text = (value: string | null | undefined) =>
  value === undefined || value === null || value.trim() === "" ? undefined : value

/**
 * The summary with its endpoints filled in. A cluster that is gone, or not in a state to answer, keeps none
 * (the listing still shows it); any other failure (credentials, throttling after retries) fails the listing.
 */
/** A listed cluster with the endpoints an answer names. */
export const withEndpoints = (
  summary: ClusterSummary,
  body: typeof DescribeClusterEndpointsResponse.Type
): ClusterSummary => {
  const pub = text(body.ClusterExternalEndpoint)
  const priv = text(body.ClusterIntranetEndpoint)
  return {
    ...summary,
    endpoints: { ...(pub === undefined ? {} : { public: pub }), ...(priv === undefined ? {} : { private: priv }) }
  }
}
