/**
 * Cluster identifiers. TKE: `cls-` and 8 lowercase letters or digits (e.g. `cls-65r1c5nu`); later cluster kinds
 * use the same prefix, so up to 16 are accepted. ACK: `c` and 32 lowercase hex-like characters
 * (e.g. `c5b5e80b0b64a4bf6939d2d8fbbc5ab12`).
 */
import * as Schema from "effect/Schema"
import type { ProviderName } from "./Provider.js"

export const TkeClusterId = Schema.String.pipe(
  Schema.pattern(/^cls-[a-z0-9]{8,16}$/, {
    message: (issue) =>
      `invalid TKE cluster id ${JSON.stringify(issue.actual)}: expected cls- and 8 lowercase letters or digits, e.g. cls-65r1c5nu`
  }),
  Schema.brand("TkeClusterId")
).annotations({ identifier: "TkeClusterId" })

export const AckClusterId = Schema.String.pipe(
  Schema.pattern(/^c[0-9a-z]{32}$/, {
    message: (issue) =>
      `invalid ACK cluster id ${JSON.stringify(issue.actual)}: expected c and 32 lowercase letters or digits, e.g. c5b5e80b0b64a4bf6939d2d8fbbc5ab12`
  }),
  Schema.brand("AckClusterId")
).annotations({ identifier: "AckClusterId" })

export const ClusterId = Schema.Union(TkeClusterId, AckClusterId).annotations({ identifier: "ClusterId" })
export type ClusterId = typeof ClusterId.Type

/** The cluster id schema of one provider. */
export const clusterIdFor = (provider: ProviderName) => (provider === "tencent" ? TkeClusterId : AckClusterId)
