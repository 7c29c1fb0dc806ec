/**
 * The documented exit codes (README "Exit codes"). One table, used by the error edge and the tests.
 */

export const ExitCode = {
  Ok: 0,
  Other: 1,
  Usage: 2,
  Credentials: 3,
  NotFound: 4,
  Unavailable: 5,
  Kubeconfig: 6,
  Partial: 7
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Every `_tag` of the core taxonomy, plus the CLI's own usage error, mapped to its code. */
export const exitCodeByTag: Readonly<Record<string, ExitCode>> = {
  InvalidInput: ExitCode.Usage,
  UsageError: ExitCode.Usage,
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

export const exitCodeFor = (tag: string | undefined): ExitCode =>
  tag === undefined ? ExitCode.Other : (exitCodeByTag[tag] ?? ExitCode.Other)

/** The codes as documented, in order; the README table is generated from the same words. */
export const documentedExitCodes: ReadonlyArray<readonly [ExitCode, string]> = [
  [0, "success"],
  [1, "anything else: an unexpected or refused answer from the provider (MalformedResponse) or a bug"],
  [2, "usage or invalid input; nothing was sent (InvalidInput, unknown flags, bad ids, regions, durations)"],
  [3, "credentials or authentication (CredentialsMissing, AuthenticationFailed, AccessDenied)"],
  [4, "cluster not found (ClusterNotFound)"],
  [5, "throttled or unavailable after retries (Throttled, ProviderInternal, Transport, ClusterUnavailable)"],
  [6, "kubeconfig file problem (KubeconfigUnreadable, KubeconfigLocked, KubeconfigWriteFailed, KubeconfigConflict)"],
  [7, "partial answer: a region or a provider failed, the rest was printed or written (list, sync)"]
]
