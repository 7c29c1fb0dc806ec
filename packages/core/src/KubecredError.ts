/**
 * The one error taxonomy (docs/errors.md). Every provider code and every file problem is decided into
 * exactly one of these at the boundary. Each carries a readable message and whether a retry may help;
 * none ever carries a secret. Transport, MalformedResponse and ProviderInternal keep their `cause` (as
 * @effect/ai's AiError does) for `--verbose`; a cause is a system error or a value-free summary, never a body.
 *
 * They are `Data.TaggedError` classes, not `Schema.TaggedError`: nothing decodes or encodes an error, and
 * building the Schema classes cost every start of the CLI about 10 ms (docs/decisions.md, "Start-up").
 */
import * as Data from "effect/Data"
import * as Predicate from "effect/Predicate"
import type { ProviderName } from "./Provider.js"

/** What a provider told us, when it told us anything. */
interface ProviderFields {
  readonly provider: ProviderName
  readonly action: string
  readonly code?: string | undefined
  readonly requestId?: string | undefined
  readonly detail: string
}

const describe = (self: ProviderFields) =>
  `${self.provider} ${self.action}: ${self.code ? `${self.code}: ` : ""}${self.detail}${
    self.requestId ? ` (request id ${self.requestId})` : ""
  }`

/** The underlying failure, shown by `--verbose` (an errno, a parse error summary); never a secret or a body. */
interface WithCause {
  readonly cause?: unknown
}

/** Refused by kubecred before any request was sent (a bad id, region, duration, endpoint, profile name). */
export class InvalidInput extends Data.TaggedError("InvalidInput")<{
  readonly field?: string | undefined
  readonly detail: string
}> {
  readonly retryable = false
  override get message() {
    return this.field ? `${this.field}: ${this.detail}` : this.detail
  }
}

/** No credentials were found, or a credentials file could not be read. */
export class CredentialsMissing extends Data.TaggedError("CredentialsMissing")<{
  readonly provider: ProviderName
  readonly searched: ReadonlyArray<string>
  readonly detail?: string | undefined
}> {
  readonly retryable = false
  override get message() {
    return `no ${this.provider} credentials found${this.detail ? ` (${this.detail})` : ""}; looked in: ${this.searched.join(", ")}`
  }
}

/** The provider did not accept who we are (bad key, bad signature, expired token, clock skew). */
export class AuthenticationFailed extends Data.TaggedError("AuthenticationFailed")<ProviderFields> {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/** We are who we say, but may not do this. */
export class AccessDenied extends Data.TaggedError("AccessDenied")<ProviderFields> {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/** The cluster does not exist (or no longer exists) in that region and account. */
export class ClusterNotFound extends Data.TaggedError("ClusterNotFound")<
  ProviderFields & { readonly clusterId?: string | undefined; readonly region?: string | undefined }
> {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/** The cluster exists but cannot hand out a kubeconfig now (abnormal, upgrading, deleting). */
export class ClusterUnavailable extends Data.TaggedError("ClusterUnavailable")<
  ProviderFields & { readonly clusterId?: string | undefined }
> {
  readonly retryable = true
  override get message() {
    return describe(this)
  }
}

/**
 * The server refused a parameter or a region (TKE `InvalidParameter*`, `UnsupportedRegion`, ACK
 * `InvalidParameter*`, an endpoint that does not serve the API): the request was sent and answered.
 */
export class RequestRejected extends Data.TaggedError("RequestRejected")<
  ProviderFields & { readonly field?: string | undefined }
> {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/** The provider's rate limit. */
export class Throttled extends Data.TaggedError("Throttled")<
  ProviderFields & { readonly retryAfterMillis?: number | undefined }
> {
  readonly retryable = true
  override get message() {
    return describe(this)
  }
}

/** The provider failed on its side (5xx, InternalError, ServiceUnavailable). */
export class ProviderInternal extends Data.TaggedError("ProviderInternal")<
  ProviderFields & WithCause & { readonly status?: number | undefined }
> {
  readonly retryable = true
  override get message() {
    return describe(this)
  }
}

/** The request never got a complete answer: timeout, reset, refused, DNS. */
export class Transport extends Data.TaggedError("Transport")<
  {
    readonly provider: ProviderName
    readonly action: string
    readonly reason: "timeout" | "reset" | "refused" | "dns" | "other"
    readonly detail: string
  } & WithCause
> {
  readonly retryable = true
  override get message() {
    return `${this.provider} ${this.action}: ${this.reason}: ${this.detail}`
  }
}

/** An answer that is not what the contract says (not JSON, empty, wrong shape). */
export class MalformedResponse extends Data.TaggedError("MalformedResponse")<ProviderFields & WithCause> {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/**
 * An answer broke one of kubecred's bounds (core Policy `AnswerBounds`): more pages than allowed, a listing
 * that runs longer than allowed, a page that repeats one already seen, or a body larger than allowed. What was
 * received so far is discarded; nothing is retried.
 */
export class BoundExceeded extends Data.TaggedError("BoundExceeded")<{
  readonly provider: ProviderName
  readonly action: string
  readonly bound: "pages" | "listing-time" | "repeated-page" | "body-size"
  readonly requestId?: string | undefined
  readonly detail: string
}> {
  readonly retryable = false
  override get message() {
    return `${this.provider} ${this.action}: ${this.detail}${this.requestId ? ` (request id ${this.requestId})` : ""}`
  }
}

/** A kubeconfig file that cannot be read or parsed. It is never overwritten. */
export class KubeconfigUnreadable extends Data.TaggedError("KubeconfigUnreadable")<{
  readonly path: string
  readonly detail: string
  readonly line?: number | undefined
  readonly column?: number | undefined
}> {
  readonly retryable = false
  override get message() {
    const at = this.line === undefined ? "" : `:${this.line}${this.column === undefined ? "" : `:${this.column}`}`
    return `cannot read kubeconfig ${this.path}${at}: ${this.detail}`
  }
}

/** Another writer holds the kubeconfig lock for longer than we wait. */
export class KubeconfigLocked extends Data.TaggedError("KubeconfigLocked")<{
  readonly path: string
  readonly detail: string
}> {
  readonly retryable = false
  override get message() {
    return `kubeconfig ${this.path} is locked: ${this.detail}`
  }
}

/** Writing the kubeconfig failed; the previous content is intact. */
export class KubeconfigWriteFailed extends Data.TaggedError("KubeconfigWriteFailed")<{
  readonly path: string
  readonly detail: string
}> {
  readonly retryable = false
  override get message() {
    return `cannot write kubeconfig ${this.path}: ${this.detail}`
  }
}

/**
 * A name the add would write is taken by an entry kubecred did not write for this cluster (or is used by another
 * context). Nothing was written; `--on-conflict rename|overwrite` decides.
 */
export class KubeconfigConflict extends Data.TaggedError("KubeconfigConflict")<{
  readonly path: string
  readonly name: string
  readonly detail: string
}> {
  readonly retryable = false
  override get message() {
    return `kubeconfig ${this.path}: ${this.detail}; nothing was written`
  }
}

/** Every class of the taxonomy. */
const ALL = [
  InvalidInput,
  CredentialsMissing,
  AuthenticationFailed,
  AccessDenied,
  ClusterNotFound,
  ClusterUnavailable,
  RequestRejected,
  Throttled,
  ProviderInternal,
  Transport,
  MalformedResponse,
  BoundExceeded,
  KubeconfigUnreadable,
  KubeconfigLocked,
  KubeconfigWriteFailed,
  KubeconfigConflict
] as const

export type KubecredError = InstanceType<(typeof ALL)[number]>

/** Errors a provider call can fail with. */
export type ProviderError =
  | InvalidInput
  | RequestRejected
  | BoundExceeded
  | CredentialsMissing
  | AuthenticationFailed
  | AccessDenied
  | ClusterNotFound
  | ClusterUnavailable
  | Throttled
  | ProviderInternal
  | Transport
  | MalformedResponse

/** Errors of the kubeconfig engine. */
export type KubeconfigError =
  | InvalidInput
  | KubeconfigUnreadable
  | KubeconfigLocked
  | KubeconfigWriteFailed
  | KubeconfigConflict
  | MalformedResponse

/** Every tag of the taxonomy: tables keyed by it (the CLI's exit codes and hints) must name them all. */
export type Tag = KubecredError["_tag"]

export const isKubecredError = (u: unknown): u is KubecredError => ALL.some((error) => u instanceof error)

/** Whether trying again may succeed. */
export const isRetryable = (error: unknown): boolean =>
  Predicate.hasProperty(error, "retryable") && error.retryable === true && isKubecredError(error)
