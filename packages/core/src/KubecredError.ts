/**
 * The one error taxonomy (docs/errors.md). Every provider code and every file problem is decided into
 * exactly one of these at the boundary. Each carries a readable message and whether a retry may help;
 * none ever carries a secret. Transport, MalformedResponse and ProviderInternal keep their `cause` (as
 * @effect/ai's AiError does) for `--verbose`; a cause is a system error or a value-free summary, never a body.
 */
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { ProviderName } from "./Provider.js"

/** What a provider told us, when it told us anything. */
const ProviderFields = {
  provider: ProviderName,
  action: Schema.String,
  code: Schema.optional(Schema.String),
  requestId: Schema.optional(Schema.String),
  detail: Schema.String
}

const describe = (self: {
  readonly provider: string
  readonly action: string
  readonly code?: string | undefined
  readonly requestId?: string | undefined
  readonly detail: string
}) =>
  `${self.provider} ${self.action}: ${self.code ? `${self.code}: ` : ""}${self.detail}${
    self.requestId ? ` (request id ${self.requestId})` : ""
  }`

/** The underlying failure, shown by `--verbose` (an errno, a parse error summary); never a secret or a body. */
const cause = Schema.optional(Schema.Defect)

/** Refused by kubecred before any request was sent (a bad id, region, duration, endpoint, profile name). */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("@kubecred/core/InvalidInput")("InvalidInput", {
  field: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  readonly retryable = false
  override get message() {
    return this.field ? `${this.field}: ${this.detail}` : this.detail
  }
}

/** No credentials were found, or a credentials file could not be read. */
export class CredentialsMissing extends Schema.TaggedError<CredentialsMissing>("@kubecred/core/CredentialsMissing")(
  "CredentialsMissing",
  {
    provider: ProviderName,
    searched: Schema.Array(Schema.String),
    detail: Schema.optional(Schema.String)
  }
) {
  readonly retryable = false
  override get message() {
    return `no ${this.provider} credentials found${this.detail ? ` (${this.detail})` : ""}; looked in: ${this.searched.join(", ")}`
  }
}

/** The provider did not accept who we are (bad key, bad signature, expired token, clock skew). */
export class AuthenticationFailed extends Schema.TaggedError<AuthenticationFailed>(
  "@kubecred/core/AuthenticationFailed"
)("AuthenticationFailed", ProviderFields) {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/** We are who we say, but may not do this. */
export class AccessDenied extends Schema.TaggedError<AccessDenied>("@kubecred/core/AccessDenied")(
  "AccessDenied",
  ProviderFields
) {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/** The cluster does not exist (or no longer exists) in that region and account. */
export class ClusterNotFound extends Schema.TaggedError<ClusterNotFound>("@kubecred/core/ClusterNotFound")(
  "ClusterNotFound",
  { ...ProviderFields, clusterId: Schema.optional(Schema.String), region: Schema.optional(Schema.String) }
) {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/** The cluster exists but cannot hand out a kubeconfig now (abnormal, upgrading, deleting). */
export class ClusterUnavailable extends Schema.TaggedError<ClusterUnavailable>("@kubecred/core/ClusterUnavailable")(
  "ClusterUnavailable",
  { ...ProviderFields, clusterId: Schema.optional(Schema.String) }
) {
  readonly retryable = true
  override get message() {
    return describe(this)
  }
}

/**
 * The server refused a parameter or a region (TKE `InvalidParameter*`, `UnsupportedRegion`, ACK
 * `InvalidParameter*`, an endpoint that does not serve the API): the request was sent and answered.
 */
export class RequestRejected extends Schema.TaggedError<RequestRejected>("@kubecred/core/RequestRejected")(
  "RequestRejected",
  { ...ProviderFields, field: Schema.optional(Schema.String) }
) {
  readonly retryable = false
  override get message() {
    return describe(this)
  }
}

/** The provider's rate limit. */
export class Throttled extends Schema.TaggedError<Throttled>("@kubecred/core/Throttled")("Throttled", {
  ...ProviderFields,
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  readonly retryable = true
  override get message() {
    return describe(this)
  }
}

/** The provider failed on its side (5xx, InternalError, ServiceUnavailable). */
export class ProviderInternal extends Schema.TaggedError<ProviderInternal>("@kubecred/core/ProviderInternal")(
  "ProviderInternal",
  { ...ProviderFields, status: Schema.optional(Schema.Number), cause }
) {
  readonly retryable = true
  override get message() {
    return describe(this)
  }
}

/** The request never got a complete answer: timeout, reset, refused, DNS. */
export class Transport extends Schema.TaggedError<Transport>("@kubecred/core/Transport")("Transport", {
  provider: ProviderName,
  action: Schema.String,
  reason: Schema.Literal("timeout", "reset", "refused", "dns", "other"),
  detail: Schema.String,
  cause
}) {
  readonly retryable = true
  override get message() {
    return `${this.provider} ${this.action}: ${this.reason}: ${this.detail}`
  }
}

/** An answer that is not what the contract says (not JSON, empty, wrong shape). */
export class MalformedResponse extends Schema.TaggedError<MalformedResponse>("@kubecred/core/MalformedResponse")(
  "MalformedResponse",
  { ...ProviderFields, cause }
) {
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
export class BoundExceeded extends Schema.TaggedError<BoundExceeded>("@kubecred/core/BoundExceeded")("BoundExceeded", {
  provider: ProviderName,
  action: Schema.String,
  bound: Schema.Literal("pages", "listing-time", "repeated-page", "body-size"),
  requestId: Schema.optional(Schema.String),
  detail: Schema.String
}) {
  readonly retryable = false
  override get message() {
    return `${this.provider} ${this.action}: ${this.detail}${this.requestId ? ` (request id ${this.requestId})` : ""}`
  }
}

/** A kubeconfig file that cannot be read or parsed. It is never overwritten. */
export class KubeconfigUnreadable extends Schema.TaggedError<KubeconfigUnreadable>(
  "@kubecred/core/KubeconfigUnreadable"
)("KubeconfigUnreadable", {
  path: Schema.String,
  detail: Schema.String,
  line: Schema.optional(Schema.Number),
  column: Schema.optional(Schema.Number)
}) {
  readonly retryable = false
  override get message() {
    const at = this.line === undefined ? "" : `:${this.line}${this.column === undefined ? "" : `:${this.column}`}`
    return `cannot read kubeconfig ${this.path}${at}: ${this.detail}`
  }
}

/** Another writer holds the kubeconfig lock for longer than we wait. */
export class KubeconfigLocked extends Schema.TaggedError<KubeconfigLocked>("@kubecred/core/KubeconfigLocked")(
  "KubeconfigLocked",
  { path: Schema.String, detail: Schema.String }
) {
  readonly retryable = false
  override get message() {
    return `kubeconfig ${this.path} is locked: ${this.detail}`
  }
}

/** Writing the kubeconfig failed; the previous content is intact. */
export class KubeconfigWriteFailed extends Schema.TaggedError<KubeconfigWriteFailed>(
  "@kubecred/core/KubeconfigWriteFailed"
)("KubeconfigWriteFailed", { path: Schema.String, detail: Schema.String }) {
  readonly retryable = false
  override get message() {
    return `cannot write kubeconfig ${this.path}: ${this.detail}`
  }
}

/**
 * A name the add would write is taken by an entry kubecred did not write for this cluster (or is used by another
 * context). Nothing was written; `--on-conflict rename|overwrite` decides.
 */
export class KubeconfigConflict extends Schema.TaggedError<KubeconfigConflict>("@kubecred/core/KubeconfigConflict")(
  "KubeconfigConflict",
  { path: Schema.String, name: Schema.String, detail: Schema.String }
) {
  readonly retryable = false
  override get message() {
    return `kubeconfig ${this.path}: ${this.detail}; nothing was written`
  }
}

export const KubecredError = Schema.Union(
  InvalidInput,
  RequestRejected,
  BoundExceeded,
  CredentialsMissing,
  AuthenticationFailed,
  AccessDenied,
  ClusterNotFound,
  ClusterUnavailable,
  Throttled,
  ProviderInternal,
  Transport,
  MalformedResponse,
  KubeconfigUnreadable,
  KubeconfigLocked,
  KubeconfigWriteFailed,
  KubeconfigConflict
)
export type KubecredError = typeof KubecredError.Type

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

export const isKubecredError = Schema.is(KubecredError)

/** Whether trying again may succeed. */
export const isRetryable = (error: unknown): boolean =>
  Predicate.hasProperty(error, "retryable") && error.retryable === true && isKubecredError(error)
