/**
 * ACK response bodies as Schemas (docs/contracts/ack.md "Operations", "Envelopes"), shared by both transports: the http transport decodes
 * the JSON it read, the sdk transport decodes the SDK's model turned back into the wire's snake_case.
 */
import * as Schema from "effect/Schema"

/** DescribeClusterUserKubeconfig: `{config, expiration}`. */
export const KubeconfigBody = Schema.Struct({
  config: Schema.String.pipe(Schema.minLength(1)),
  expiration: Schema.optional(Schema.NullOr(Schema.String))
})
export type KubeconfigBody = typeof KubeconfigBody.Type

const optionalText = Schema.optional(Schema.NullOr(Schema.String))

/** One row of DescribeClustersV1 (only what kubecred reads; the rest is ignored). */
export const ClusterRow = Schema.Struct({
  cluster_id: Schema.String,
  name: Schema.String,
  region_id: Schema.String,
  state: Schema.String,
  current_version: optionalText,
  cluster_type: optionalText,
  /** A JSON string: `{"api_server_endpoint": "...", "intranet_api_server_endpoint": "..."}`. */
  master_url: optionalText
})
export type ClusterRow = typeof ClusterRow.Type

/** DescribeClustersV1: `{clusters, page_info}`. */
export const ClustersBody = Schema.Struct({
  clusters: Schema.Array(ClusterRow),
  page_info: Schema.Struct({
    page_number: Schema.Number,
    page_size: Schema.Number,
    total_count: Schema.Number
  })
})
export type ClustersBody = typeof ClustersBody.Type

export const decodeKubeconfigBody = Schema.decodeUnknownEither(KubeconfigBody)
export const decodeClustersBody = Schema.decodeUnknownEither(ClustersBody)

/** The error envelope, in either spelling (gateway PascalCase or the ROA service's camelCase). */
export interface ErrorEnvelope {
  readonly code?: string | undefined
  readonly message?: string | undefined
  readonly requestId?: string | undefined
  readonly accessDeniedDetail?: unknown
}

const pick = (body: Record<string, unknown>, ...names: ReadonlyArray<string>): string | undefined => {
  for (const name of names) {
    const v = body[name]
    if (typeof v === "string" && v !== "") return v
  }
  return undefined
}

export const errorEnvelope = (body: unknown): ErrorEnvelope => {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return {}
  const b = body as Record<string, unknown>
  return {
    code: pick(b, "Code", "code"),
    message: pick(b, "Message", "message"),
    requestId: pick(b, "RequestId", "requestId", "requestid"),
    accessDeniedDetail: b.AccessDeniedDetail ?? b.accessDeniedDetail
  }
}
