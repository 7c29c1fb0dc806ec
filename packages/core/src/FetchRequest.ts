/**
 * What to fetch: one cluster's kubeconfig from one provider, region and endpoint kind.
 */
import * as Schema from "effect/Schema"
import { AckClusterId, TkeClusterId } from "./ClusterId.js"
import { TemporaryDurationMinutes } from "./Duration.js"
import { EndpointKind } from "./Endpoint.js"
import { Region } from "./Region.js"

export const TencentFetchRequest = Schema.TaggedStruct("tencent", {
  region: Region,
  clusterId: TkeClusterId,
  endpoint: EndpointKind
}).annotations({ identifier: "TencentFetchRequest" })

export const AlibabaFetchRequest = Schema.TaggedStruct("alibaba", {
  region: Region,
  clusterId: AckClusterId,
  endpoint: EndpointKind,
  /** A temporary kubeconfig lasting this long; the long-lived (3 year) one when absent. */
  temporaryDurationMinutes: Schema.optional(TemporaryDurationMinutes)
}).annotations({ identifier: "AlibabaFetchRequest" })

/** Discriminated by `_tag`, which is the provider name. TKE has no temporary kubeconfigs. */
export const FetchRequest = Schema.Union(TencentFetchRequest, AlibabaFetchRequest).annotations({
  identifier: "FetchRequest"
})
export type FetchRequest = typeof FetchRequest.Type
export type TencentFetchRequest = typeof TencentFetchRequest.Type
export type AlibabaFetchRequest = typeof AlibabaFetchRequest.Type

export const decodeFetchRequest = Schema.decodeUnknown(FetchRequest, { errors: "first" })
