/**
 * Rendering errors at the CLI edge: exactly one line `kubecred: <message> (hint: <hint>)`, never a stack
 * trace without --verbose, never a secret (known secret values are scrubbed from whatever is printed).
 */
import * as AckEnvironment from "@kubecred/alibaba/AckEnvironment"
import * as TkeEnvironment from "@kubecred/tencent/TkeEnvironment"
import { type ErrorTag, ExitCode, exitCodeFor, isErrorTag } from "./exitCode.js"

/** A usage problem found by the CLI itself or by @effect/cli's parser. Nothing was sent. */
export class UsageError extends Error {
  readonly _tag = "UsageError"
  constructor(
    readonly detail: string,
    readonly command?: string
  ) {
    super(detail)
  }
}

const ackPair = AckEnvironment.keyPairVariables[0]!

/**
 * One hint per tag, saying what is true of it: whether anything was sent, and which cloud's variables matter
 * (CredentialsMissing names the provider it is about, see `hintFor`). Keyed by every tag: a new error does not
 * type-check until it has one.
 */
const hints: { readonly [K in ErrorTag]: string } = {
  UsageError: "nothing was sent; see kubecred --help",
  InvalidInput: "nothing was sent; see kubecred <command> --help",
  RequestRejected:
    "the provider refused a parameter or the region after receiving the request; check --region and the cluster id",
  BoundExceeded:
    "kubecred stopped reading an answer that broke its bounds; check --api-endpoint, or rerun with --verbose and report it",
  CredentialsMissing: `set ${TkeEnvironment.ENV_SECRET_ID}/${TkeEnvironment.ENV_SECRET_KEY} or ${ackPair.id}/${ackPair.secret}, or pass --profile`,
  AuthenticationFailed: "check the key pair, its STS token and this machine's clock",
  AccessDenied: "the key is valid but lacks the CAM/RAM permission for this call",
  ClusterNotFound: "check the cluster id and --region; `kubecred list` shows what exists",
  ClusterUnavailable: "the cluster is not running now; try again when it is",
  Throttled: "the provider's rate limit held after retries; try again shortly",
  ProviderInternal: "the provider failed after retries; try again shortly",
  Transport: "check the network, a proxy, or --api-endpoint",
  MalformedResponse: "unexpected answer from the provider; rerun with --verbose and report it",
  KubeconfigUnreadable: "fix or move the file; kubecred never overwrites a kubeconfig it cannot read",
  KubeconfigLocked: "another writer holds the .lock file next to it; remove the lock if that process is gone",
  KubeconfigWriteFailed: "check the path, its directory and permissions; the previous file is intact",
  KubeconfigConflict:
    "pass --on-conflict rename to add it under a new name, or --on-conflict overwrite to replace that entry"
}

const secrets = new Set<string>()

/** Registers a value that must never be printed (demo credentials of an in-process mock, for instance). */
export const registerSecret = (value: string | undefined): void => {
  if (value !== undefined && value.length >= 6) secrets.add(value)
}

const secretEnvName = /(SECRET|TOKEN|PASSWORD|PRIVATE_KEY)/i

/** Removes every known secret (registered, or the value of a SECRET or TOKEN environment variable). */
export const scrub = (text: string, env: NodeJS.ProcessEnv = process.env): string => {
  let out = text
  const values = [...secrets]
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= 6 && secretEnvName.test(name) && !/_ID$/i.test(name)) values.push(value)
  }
  for (const value of values.sort((a, b) => b.length - a.length)) {
    if (out.includes(value)) out = out.split(value).join("***")
  }
  return out
}

const ansi = /\u001b\[[0-9;]*[A-Za-z]/g

/** Controls that are not whitespace (ESC of OSC sequences, BEL, C1): shown as `?`, never sent to the terminal. */
const controls = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** One line: ANSI stripped, other controls replaced, whitespace (newlines included) folded. */
export const oneLine = (text: string): string =>
  text.replace(ansi, "").replace(controls, "?").replace(/\s+/g, " ").trim()

/** A message kept readable on one terminal line or two (schema errors can be very long). */
export const capped = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max - 3)}...` : text)

const tagOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && typeof (error as { _tag?: unknown })._tag === "string"
    ? (error as { _tag: string })._tag
    : undefined

/** The hint for a tag; CredentialsMissing names only the variables of the cloud it is about. */
const hintFor = (tag: ErrorTag, error: unknown): string => {
  if (tag === "CredentialsMissing") {
    const provider = (error as { readonly provider?: unknown }).provider
    if (provider === "tencent") {
      return `set ${TkeEnvironment.ENV_SECRET_ID}/${TkeEnvironment.ENV_SECRET_KEY}, or pass --profile (a tccli profile)`
    }
    if (provider === "alibaba") return `set ${ackPair.id}/${ackPair.secret}, or pass --profile (an aliyun CLI profile)`
  }
  return hints[tag]
}

export interface Rendered {
  readonly code: number
  readonly line: string
}

/** The exit code and the one line for a failure value (a tagged error, a UsageError, or anything else). */
export const renderFailure = (error: unknown): Rendered => {
  const tag = tagOf(error)
  const message =
    error instanceof Error || (typeof error === "object" && error !== null && "message" in error)
      ? String((error as { message: unknown }).message)
      : String(error)
  const known = isErrorTag(tag)
  const code = known ? exitCodeFor(tag) : ExitCode.Other
  const hint = known ? hintFor(tag, error) : "this is a bug in kubecred; rerun with --verbose and report it"
  const body = capped(oneLine(known ? message : `internal error: ${message}`))
  return { code, line: scrub(`kubecred: ${body} (hint: ${hint})`) }
}

/** A defect (a thrown exception, a die): exit 1, one line, no stack unless verbose. */
export const renderDefect = (defect: unknown): Rendered => {
  const message = defect instanceof Error ? `${defect.name}: ${defect.message}` : String(defect)
  return {
    code: ExitCode.Other,
    line: scrub(`kubecred: internal error: ${capped(oneLine(message))} (hint: rerun with --verbose and report it)`)
  }
}

/** Failures already reported line by line (a partial sync): the edge prints nothing more, exits with `code`. */
export class Reported extends Error {
  readonly _tag = "Reported"
  constructor(readonly code: number) {
    super(`exit ${code}`)
  }
}
