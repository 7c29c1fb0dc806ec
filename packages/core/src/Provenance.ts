/**
 * Where a kubeconfig entry came from. Stored in the context's `extensions` (name `kubecred.io/provenance`)
 * so later commands (status, refresh, sync --prune, remove) know what kubecred manages.
 */
import * as Schema from "effect/Schema"
import { EndpointKind } from "./Endpoint.js"
import { ProviderName } from "./Provider.js"

export const PROVENANCE_EXTENSION = "kubecred.io/provenance"

export const Provenance = Schema.Struct({
  provider: ProviderName,
  region: Schema.String,
  clusterId: Schema.String,
  /** The cluster's name in the cloud (TKE ClusterName, ACK name), when kubecred listed it. */
  name: Schema.optional(Schema.String),
  endpoint: EndpointKind,
  fetchedAt: Schema.DateTimeUtc,
  expiresAt: Schema.optional(Schema.DateTimeUtc),
  /** Who the credential is for: the client certificate's subject CN (TKE sub-account UIN, ACK RAM UID). */
  identity: Schema.optional(Schema.String),
  /** `embedded` when the certificate sits in the kubeconfig, `exec` when `kubecred credential` supplies it. */
  credential: Schema.optionalWith(Schema.Literal("embedded", "exec"), { default: () => "embedded" as const })
}).annotations({ identifier: "Provenance" })
export type Provenance = typeof Provenance.Type
export type ProvenanceEncoded = typeof Provenance.Encoded
