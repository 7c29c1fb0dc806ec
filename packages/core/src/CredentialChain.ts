/**
 * The kit both providers' credential chains are built from (docs/decisions.md "Credential chains"): steps tried
 * in order until the first that answers, the list of places searched as the steps look, the readers for the
 * files the clouds' tools write (INI, JSON), the profile-name check, and the cache that keeps an answer until
 * shortly before it expires.
 *
 * A step answers `some` (found: stop), `none` (nothing here: look further), or fails with a reason (something
 * is here but wrong, e.g. half a key pair: stop, it is not a reason to use another identity). A new source (an
 * assumed role, an OIDC token file) is one more step in a provider's list.
 */
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as SynchronizedRef from "effect/SynchronizedRef"
import { readFile } from "node:fs"
import { AccessDenied, AuthenticationFailed, CredentialsMissing, InvalidInput } from "./KubecredError.js"
import { RetryPolicy } from "./Policy.js"
import { backoff } from "./Resilience.js"
import type { ProviderName } from "./Provider.js"
import { stillFresh } from "./TemporaryCredentials.js"

/** What a caller may ask of either provider's chain besides finding credentials: a role, and where STS is. */
export interface StsOptions {
  /** A role to assume (STS AssumeRole) with the credentials the chain finds. */
  readonly roleArn?: string | undefined
  /** The assumed role's session name; default `kubecred-<epoch millis>`. */
  readonly roleSessionName?: string | undefined
  /** The STS endpoint URL; else the provider's KUBECRED_*_STS_ENDPOINT, else the cloud's. */
  readonly stsEndpoint?: string | undefined
  /** A PEM CA trusted for the STS (and credentials URI) calls only: the mock cloud's, never process-wide. */
  readonly stsCa?: string | undefined
}

/** Where a chain has looked so far, in order. */
export interface Searched {
  readonly add: (place: string) => void
}

/**
 * Why a step stopped the chain: a reason (something is here but wrong: CredentialsMissing naming it), or the
 * security token service's own refusal of an exchange (a trust policy, an expired token), decided into the
 * taxonomy by the provider and passed through as it is.
 */
export type StepError = string | AuthenticationFailed | AccessDenied

/** What a chain fails with: every one of them is a credentials problem (the CLI's exit 3). */
export type ChainError = CredentialsMissing | AuthenticationFailed | AccessDenied

/** One source of credentials. It records the places it looks at in `searched` as it looks. */
export type Step<C> = (searched: Searched) => Effect.Effect<Option.Option<C>, StepError>

/** A step that looks at one fixed place. */
export const at =
  <C>(place: string, look: Effect.Effect<Option.Option<C>, StepError>): Step<C> =>
  (searched) =>
    Effect.suspend(() => {
      searched.add(place)
      return look
    })

/**
 * Runs the steps in order; the first `some` is the answer. A failing step, or none answering, is
 * CredentialsMissing naming every place looked at (and `onNone`'s words when nothing answered).
 */
export const first = <C>(
  provider: ProviderName,
  steps: ReadonlyArray<Step<C>>,
  onNone?: string | undefined
): Effect.Effect<C, ChainError> =>
  Effect.suspend(() => {
    const places: Array<string> = []
    const searched: Searched = { add: (place) => void places.push(place) }
    const missing = (detail: string | undefined) =>
      new CredentialsMissing({ provider, searched: [...places], ...(detail === undefined ? {} : { detail }) })
    const loop = (i: number): Effect.Effect<C, ChainError> =>
      i >= steps.length
        ? Effect.fail(missing(onNone))
        : steps[i]!(searched).pipe(
            Effect.mapError((error) => (typeof error === "string" ? missing(error) : error)),
            Effect.flatMap(Option.match({ onNone: () => loop(i + 1), onSome: Effect.succeed }))
          )
    return loop(0)
  })

/**
 * The first success, kept until shortly before it expires (TemporaryCredentials); a failure is not kept, so
 * credentials created after a failed call are found by the next one. Concurrent callers share one walk.
 */
export const cached = <C extends { readonly expiresAt?: Date | undefined }, E>(
  resolve: Effect.Effect<C, E>
): Effect.Effect<Effect.Effect<C, E>> =>
  Effect.map(SynchronizedRef.make(Option.none<C>()), (ref) =>
    SynchronizedRef.modifyEffect(ref, (held) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Option.match(
          Option.filter(held, (c) => stillFresh(c.expiresAt, now)),
          {
            onSome: (c) => Effect.succeed([c, Option.some(c)] as const),
            onNone: () => Effect.map(resolve, (c) => [c, Option.some(c)] as const)
          }
        )
      )
    )
  )

/** What a security token service said when it refused an exchange, and which step asked. */
export interface StsRefusal {
  readonly provider: ProviderName
  readonly action: string
  readonly code: string
  readonly requestId?: string | undefined
  /** The STS's message: data from the network, shown on one line, never trusted. */
  readonly message: string
  /** The chain step, e.g. `TKE_ROLE_ARN (TKE pod identity, ...)`. */
  readonly step: string
  /** How the provider decided the code; undefined: not the taxonomy's, only a reason. */
  readonly decided: "AccessDenied" | "AuthenticationFailed" | undefined
}

/** An STS refusal as the step's failure: AccessDenied or AuthenticationFailed naming the step, else a reason. */
export const refused = (refusal: StsRefusal, where: string): StepError => {
  const fields = {
    provider: refusal.provider,
    action: refusal.action,
    code: refusal.code,
    ...(refusal.requestId === undefined ? {} : { requestId: refusal.requestId }),
    detail: `${refusal.step}: ${refusal.message}`
  }
  if (refusal.decided === "AccessDenied") return new AccessDenied(fields)
  if (refusal.decided === "AuthenticationFailed") return new AuthenticationFailed(fields)
  return `${where}: ${refusal.code}: ${refusal.message}`
}

/**
 * An STS failure that another try may not meet: no answer (ServiceRequest.isNoAnswer), HTTP 5xx
 * or 429, or a code the provider calls throttling or an internal error. It carries what the step reports when
 * the tries run out.
 */
export class Transient {
  readonly _tag = "Transient"
  constructor(readonly error: StepError) {}
}

/** `error`, marked Transient when `transient`. */
export const transientIf = (transient: boolean, error: StepError): StepError | Transient =>
  transient ? new Transient(error) : error

/**
 * One STS exchange under the current RetryPolicy (Policy.ts), as the engine runs a provider's calls: a Transient
 * failure is tried again after the policy's `backoff` (Resilience.ts), at most `maxRetries` more times and within
 * `deadline`; a refusal (a trust policy, a bad token or key) is never retried. `attempt` gets the endpoint as a
 * URL and the words that begin its failures (`<step>: STS <action> at <host>`), and must build its request afresh
 * each time it runs (a new timestamp and nonce).
 */
export const retryTransient = <A>(
  endpoint: string,
  call: { readonly step: string; readonly action: string },
  attempt: (url: URL, where: string) => Effect.Effect<A, StepError | Transient>
): Effect.Effect<A, StepError> =>
  Effect.suspend(() => {
    const url = new URL(endpoint)
    const where = `${call.step}: STS ${call.action} at ${url.host}`
    return Effect.flatMap(RetryPolicy, (policy) =>
      attempt(url, where).pipe(
        Effect.retry({
          schedule: backoff(policy),
          times: policy.maxRetries,
          while: (error) => error instanceof Transient
        }),
        Effect.mapError((error) => (error instanceof Transient ? error.error : error)),
        Effect.timeoutFail({
          duration: policy.deadline,
          onTimeout: (): StepError => `${where}: no usable answer within ${Duration.format(policy.deadline)}`
        })
      )
    )
  })

/**
 * A second stage after the chain: credentials found by `base` exchanged for others (an assumed role). Its
 * reason, when it fails, is CredentialsMissing naming `place`; the STS's own refusals pass through.
 */
export const exchange = <C, D, E>(
  provider: ProviderName,
  base: Effect.Effect<C, E>,
  place: string,
  exchangeWith: (credentials: C) => Effect.Effect<D, StepError>
): Effect.Effect<D, E | ChainError> =>
  Effect.flatMap(base, (credentials) =>
    Effect.mapError(exchangeWith(credentials), (error) =>
      typeof error === "string" ? new CredentialsMissing({ provider, searched: [place], detail: error }) : error
    )
  )

/**
 * The token a workload identity file holds, read afresh at every exchange (the platform rotates it): trimmed;
 * a missing or empty file is a reason naming the variable that pointed there, never the content.
 */
export const readToken = (variable: string, path: string): Effect.Effect<string, string> =>
  Effect.flatMap(readOptional(path), (content) => {
    if (Option.isNone(content)) return Effect.fail(`${variable} points at ${path}, which does not exist`)
    const token = content.value.trim()
    return token === "" ? Effect.fail(`${variable} points at ${path}, which is empty`) : Effect.succeed(token)
  })

/** A session name for an assumed role: the caller's, else `<prefix>-<epoch millis>` (as the official providers name theirs). */
export const sessionName = (given: string | undefined, prefix: string): Effect.Effect<string> =>
  given !== undefined && given.trim() !== ""
    ? Effect.succeed(given.trim())
    : Effect.map(Clock.currentTimeMillis, (now) => `${prefix}-${now}`)

/** A trimmed value, or undefined when empty. */
export const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

/** A non-empty string field of parsed JSON, else undefined. */
export const text = (value: unknown): string | undefined => (typeof value === "string" ? nonEmpty(value) : undefined)

/** `true` (any case) in an environment variable. */
export const enabled = (value: string | undefined): boolean => value?.trim().toLowerCase() === "true"

/** A file's text; none when it does not exist; a reason when it exists but cannot be read. */
export const readOptional = (path: string): Effect.Effect<Option.Option<string>, string> =>
  // node:fs's callback form: node:fs/promises costs a start about 1.5 ms to load (docs/decisions.md, "Start-up")
  Effect.async<string, NodeJS.ErrnoException>((resume) =>
    readFile(path, "utf8", (error, text) => resume(error ? Effect.fail(error) : Effect.succeed(text)))
  ).pipe(
    Effect.map(Option.some),
    Effect.catchAll((error) =>
      error.code === "ENOENT" || error.code === "ENOTDIR"
        ? Effect.succeed(Option.none<string>())
        : Effect.fail(`cannot read ${path} (${error.code ?? error.message})`)
    )
  )

export type IniSections = ReadonlyMap<string, ReadonlyMap<string, string>>

/**
 * The INI dialect of the clouds' credentials files: `[section]` (inner blanks trimmed), `key = value` (the first
 * `=` splits), `;` and `#` comment lines. Left: why it is not INI (a line number, never the content).
 */
export const parseIni = (content: string): Either.Either<IniSections, string> => {
  const sections = new Map<string, Map<string, string>>()
  let current: Map<string, string> | undefined
  const lines = content.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue
    const section = /^\[\s*([^\]]+?)\s*\]$/.exec(line)
    if (section) {
      current = sections.get(section[1]!) ?? new Map()
      sections.set(section[1]!, current)
      continue
    }
    const eq = line.indexOf("=")
    if (eq <= 0) return Either.left(`line ${i + 1} is neither a [section] nor key = value`)
    if (current === undefined) return Either.left(`line ${i + 1} has a key outside any [section]`)
    current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim())
  }
  return Either.right(sections)
}

/** An INI file's sections; none when the file does not exist. */
export const readIni = (path: string): Effect.Effect<Option.Option<IniSections>, string> =>
  Effect.flatMap(readOptional(path), (content) =>
    Option.match(content, {
      onNone: () => Effect.succeed(Option.none()),
      onSome: (value) =>
        Either.match(parseIni(value), {
          onLeft: (why) => Effect.fail(`${path} cannot be parsed: ${why}`),
          onRight: (sections) => Effect.succeed(Option.some(sections))
        })
    })
  )

/** A JSON file holding an object; none when the file does not exist. */
export const readJsonObject = (path: string): Effect.Effect<Option.Option<Record<string, unknown>>, string> =>
  Effect.flatMap(readOptional(path), (content) => {
    if (Option.isNone(content)) return Effect.succeed(Option.none())
    let value: unknown
    try {
      value = JSON.parse(content.value)
    } catch (error) {
      return Effect.fail(`${path} is not valid JSON (${(error as Error).message})`)
    }
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? Effect.succeed(Option.some(value as Record<string, unknown>))
      : Effect.fail(`${path} is not a JSON object`)
  })

/**
 * Both halves of a key pair, or neither (none); half a pair is a reason, not a cue to look elsewhere.
 * The names are the ones the user set (variables, file keys), for the message.
 */
export const keyPair = (
  where: string,
  names: { readonly id: string; readonly secret: string },
  id: string | undefined,
  secret: string | undefined
): Either.Either<Option.Option<{ readonly id: string; readonly secret: string }>, string> => {
  if (id !== undefined && secret !== undefined) return Either.right(Option.some({ id, secret }))
  if (id === undefined && secret === undefined) return Either.right(Option.none())
  const [set, unset] = id !== undefined ? [names.id, names.secret] : [names.secret, names.id]
  return Either.left(`${where}: ${set} is set but ${unset} is not`)
}

/**
 * A profile name is a name, not a path: letters, digits and `-_.@+`, not starting with a dot. Anything else
 * (`../../x`, `a/b`, a NUL) is refused before any file is opened, so a profile never reads outside the
 * tools' profile directory.
 */
export const checkProfile = (profile: string): Either.Either<string, InvalidInput> =>
  /^[A-Za-z0-9_@+-][A-Za-z0-9_.@+-]{0,127}$/.test(profile)
    ? Either.right(profile)
    : Either.left(
        new InvalidInput({
          field: "profile",
          detail: `invalid profile name ${JSON.stringify(profile)}: use letters, digits and - _ . @ + (a name, not a path)`
        })
      )

/**
 * An instance metadata service's answer for a role, decided the same way on both clouds: 404 is an unknown role,
 * another non-200 a refusal, a body that is not a JSON object a broken reply. `where` names the service, `kind`
 * the role (`CAM role`, `RAM role`); reasons never quote the body (it holds the credentials).
 */
export const roleReply = (
  where: string,
  kind: string,
  role: string,
  reply: { readonly status: number; readonly text: string }
): Effect.Effect<Record<string, unknown>, string> => {
  const named = `${kind} ${JSON.stringify(role)}`
  if (reply.status === 404) return Effect.fail(`${where} knows no ${named}`)
  if (reply.status !== 200) return Effect.fail(`${where} answered HTTP ${reply.status} for ${named}`)
  try {
    const body: unknown = JSON.parse(reply.text)
    if (typeof body === "object" && body !== null && !Array.isArray(body)) {
      return Effect.succeed(body as Record<string, unknown>)
    }
  } catch {
    // reported below
  }
  return Effect.fail(`${where} sent a reply for ${named} that is not JSON`)
}

/** The reason when a role's reply holds no usable credentials (its `Code`, when it has one). */
export const unusableRole = (where: string, kind: string, role: string, code: unknown): string =>
  `${where} gave no usable credentials for ${kind} ${JSON.stringify(role)}${typeof code === "string" ? ` (Code ${code})` : ""}`
