/**
 * A kubeconfig as a provider handed it out, with when it expires and where it came from.
 */
import type * as DateTime from "effect/DateTime"
import type * as Option from "effect/Option"
import type { KubeconfigDocument } from "./KubeconfigDocument.js"
import type { Provenance } from "./Provenance.js"

export interface FetchedKubeconfig {
  /** The provider's document, decoded; key material is Redacted. */
  readonly document: KubeconfigDocument
  /** ACK's `expiration`, else the client certificate's notAfter, else none (token based). */
  readonly expiresAt: Option.Option<DateTime.Utc>
  readonly provenance: Provenance
  /** The provider's request id of the successful call. */
  readonly requestId: string | undefined
  /** How many attempts the call took (1 = no retry). */
  readonly attempts: number
}
