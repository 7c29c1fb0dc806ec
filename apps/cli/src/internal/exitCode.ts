/**
 * The documented exit codes (README "Exit codes"). One table, used by the error edge and the tests. It is keyed
 * by every tag of the core taxonomy (type-only import: this module stays Effect-free for the fast path), so a
 * new error does not type-check until it is given a code here and a hint in errors.ts.
 */
import type { Tag } from "@kubecred/core/KubecredError"

export const ExitCode = {
  Ok: 0,
  Other: 1,
  Usage: 2,
  Credentials: 3,
  NotFound: 4,
  Unavailable: 5,
  Kubeconfig: 6,
  Partial: 7,
  Bounded: 8
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** The tags the CLI renders: the core taxonomy's and its own usage error. */
export type ErrorTag = Tag | "UsageError"

/** Every `_tag` of the core taxonomy, plus the CLI's own usage error, mapped to its code. */
export const exitCodeByTag: { readonly [K in ErrorTag]: ExitCode } = {
  InvalidInput: ExitCode.Usage,
  UsageError: ExitCode.Usage,
  RequestRejected: ExitCode.Usage,
  BoundExceeded: ExitCode.Bounded,
  CredentialsMissing: ExitCode.Credentials,
  AuthenticationFailed: ExitCode.Credentials,
  AccessDenied: ExitCode.Credentials,
  ClusterNotFound: ExitCode.NotFound,
  Throttled: ExitCode.Unavailable,
  ProviderInternal: ExitCode.Unavailable,
  Transport: ExitCode.Unavailable,
  ClusterUnavailable: ExitCode.Unavailable,
  KubeconfigUnreadable: ExitCode.Kubeconfig,
  KubeconfigLocked: ExitCode.Kubeconfig,
  KubeconfigWriteFailed: ExitCode.Kubeconfig,
  KubeconfigConflict: ExitCode.Kubeconfig,
  MalformedResponse: ExitCode.Other
}

export const isErrorTag = (tag: string | undefined): tag is ErrorTag =>
  tag !== undefined && Object.hasOwn(exitCodeByTag, tag)

export const exitCodeFor = (tag: string | undefined): ExitCode =>
  isErrorTag(tag) ? exitCodeByTag[tag] : ExitCode.Other

/** The codes as documented, in order; the README table is generated from the same words. */
export const documentedExitCodes: ReadonlyArray<readonly [ExitCode, string]> = [
  [0, "success"],
  [1, "anything else: an unexpected or refused answer from the provider (MalformedResponse) or a bug"],
  [
    2,
    "usage or input: refused before sending (InvalidInput, unknown flags, bad ids, regions, durations, profile names) or by the server after sending (RequestRejected)"
  ],
  [3, "credentials or authentication (CredentialsMissing, AuthenticationFailed, AccessDenied)"],
  [4, "cluster not found (ClusterNotFound)"],
  [5, "throttled or unavailable after retries (Throttled, ProviderInternal, Transport, ClusterUnavailable)"],
  [6, "kubeconfig file problem (KubeconfigUnreadable, KubeconfigLocked, KubeconfigWriteFailed, KubeconfigConflict)"],
  [7, "partial answer: a region or a provider failed, the rest was printed or written (list, sync)"],
  [
    8,
    "the provider's answer broke a bound: too many pages, too long a listing, a repeated page, too large a body (BoundExceeded)"
  ]
]
