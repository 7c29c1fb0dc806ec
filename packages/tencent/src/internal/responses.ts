/**
 * TKE response bodies as Schemas (docs/contracts/tke.md "Operations", "Envelopes"): the `{"Response": {...}}` envelope with an
 * optional `Error`, and the two actions' payloads. Unknown fields are ignored.
 */
import * as Schema from "effect/Schema"

export const ApiError = Schema.Struct({ Code: Schema.String, Message: Schema.optional(Schema.String) })

/** The envelope: `Response` is kept whole for the action's own decoder. */
export const Envelope = Schema.Struct({
  Response: Schema.Struct({
    Error: Schema.optional(ApiError),
    RequestId: Schema.optional(Schema.String)
  }).pipe(Schema.extend(Schema.Record({ key: Schema.String, value: Schema.Unknown })))
})
export type Envelope = typeof Envelope.Type

export const DescribeClusterKubeconfigResponse = Schema.Struct({
  Kubeconfig: Schema.String.pipe(Schema.minLength(1)),
  RequestId: Schema.optional(Schema.String)
})

export const Cluster = Schema.Struct({
  ClusterId: Schema.String,
  ClusterName: Schema.optional(Schema.String),
  ClusterStatus: Schema.String,
  ClusterVersion: Schema.optional(Schema.String),
  ClusterType: Schema.optional(Schema.String)
})
export type Cluster = typeof Cluster.Type

export const DescribeClustersResponse = Schema.Struct({
  TotalCount: Schema.Number,
  Clusters: Schema.Array(Cluster),
  RequestId: Schema.optional(Schema.String)
})
export type DescribeClustersResponse = typeof DescribeClustersResponse.Type

/** The parse error as one line without values (values could be anything the server sent). */
export const describeParseError = (error: { readonly message: string }): string =>
  error.message.split("\n").slice(0, 4).join(" ").slice(0, 300)
