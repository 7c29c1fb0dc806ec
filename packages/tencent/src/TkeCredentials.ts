/**
 * The Tencent Cloud credential chain, resolved lazily and held as Redacted:
 * explicit > env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY / TENCENTCLOUD_SESSION_TOKEN >
 * ~/.tencentcloud/credentials (INI `[default]` secret_id / secret_key / token, the SDK's ProfileCredential; when it
 * does not exist, /etc/tencentcloud/credentials, as the SDK falls back) >
 * ~/.tccli/<profile>.credential (JSON secretId / secretKey / token; profile from the caller, TCCLI_PROFILE, `default`) >
 * the CVM instance's CAM role named by TENCENTCLOUD_CAM_ROLE_NAME (the Terraform provider's variable), from the
 * instance metadata service (KUBECRED_CVM_METADATA_ENDPOINT points it elsewhere; the mock cloud serves one).
 * Nothing found, or a file that won't parse, fails with CredentialsMissing naming every place looked at.
 * A role's credentials expire: they carry `expiresAt`, and the client fetches them again before then.
 *
 * The default region: TENCENTCLOUD_REGION, then ~/.tccli/<profile>.configure `_sys_param.region`.
 */
import { CredentialsMissing } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { readFile } from "node:fs/promises"
import { homedir } from "node:os"
import { join } from "node:path"
import { DEFAULT_METADATA_ENDPOINT, fetchRoleCredentials } from "./internal/cvmRole.js"

export interface TkeCredentials {
  readonly secretId: string
  readonly secretKey: Redacted.Redacted<string>
  /** STS session token (temporary credentials). Sent as X-TC-Token, never signed. */
  readonly token?: Redacted.Redacted<string> | undefined
}

/** Credentials and where they were found (`explicit`, `env`, a file path): safe to print. */
export interface ResolvedCredentials extends TkeCredentials {
  readonly source: string
  /** When a CAM role's temporary credentials stop working. */
  readonly expiresAt?: Date | undefined
}

export interface ChainOptions {
  readonly credentials?: TkeCredentials | undefined
  /** tccli profile name; else TCCLI_PROFILE, else `default`. */
  readonly profile?: string | undefined
  /** Defaults to process.env. */
  readonly env?: Record<string, string | undefined> | undefined
  /** Defaults to os.homedir(). */
  readonly home?: string | undefined
  /** The system-wide INI file read when the home one does not exist. Defaults to /etc/tencentcloud/credentials. */
  readonly systemCredentials?: string | undefined
  /** The CVM metadata service; else KUBECRED_CVM_METADATA_ENDPOINT, else http://metadata.tencentyun.com. */
  readonly metadataEndpoint?: string | undefined
}

const ENV_ID = "TENCENTCLOUD_SECRET_ID"
const ENV_KEY = "TENCENTCLOUD_SECRET_KEY"
const ENV_TOKEN = "TENCENTCLOUD_SESSION_TOKEN"
const ENV_ROLE = "TENCENTCLOUD_CAM_ROLE_NAME"
export const ENV_REGION = "TENCENTCLOUD_REGION"

interface Paths {
  readonly env: Record<string, string | undefined>
  readonly profile: string
  readonly ini: string
  readonly systemIni: string
  readonly tccliCredential: string
  readonly tccliConfigure: string
}

const pathsOf = (options: ChainOptions): Paths => {
  const env = options.env ?? process.env
  const home = options.home ?? env.HOME ?? homedir()
  const profile = options.profile ?? nonEmpty(env.TCCLI_PROFILE) ?? "default"
  return {
    env,
    profile,
    ini: join(home, ".tencentcloud", "credentials"),
    systemIni: options.systemCredentials ?? "/etc/tencentcloud/credentials",
    tccliCredential: join(home, ".tccli", `${profile}.credential`),
    tccliConfigure: join(home, ".tccli", `${profile}.configure`)
  }
}

const nonEmpty = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim()
  return trimmed ? trimmed : undefined
}

/** A file's text, `undefined` when it does not exist; other read errors are reported. */
const readOptional = (path: string): Effect.Effect<string | undefined, string> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (error) => error as NodeJS.ErrnoException
  }).pipe(
    Effect.catchAll((error) =>
      error.code === "ENOENT" || error.code === "ENOTDIR"
        ? Effect.succeed(undefined)
        : Effect.fail(`${path}: cannot read (${error.code ?? "error"})`)
    )
  )

/** Minimal INI: `[section]`, `key = value`, `;`/`#` comments. Returns the sections or why it is not INI. */
export const parseIni = (text: string): Record<string, Record<string, string>> | string => {
  const sections: Record<string, Record<string, string>> = {}
  let current: Record<string, string> | undefined
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim()
    if (line === "" || line.startsWith(";") || line.startsWith("#")) continue
    const section = /^\[([^\]]+)\]$/.exec(line)
    if (section) {
      current = sections[section[1]!.trim()] ??= {}
      continue
    }
    const eq = line.indexOf("=")
    if (eq <= 0) return `line ${i + 1} is neither a [section] nor key = value`
    if (current === undefined) return `line ${i + 1} has a key outside any [section]`
    current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim()
  }
  return sections
}

const make = (
  source: string,
  secretId: string | undefined,
  secretKey: string | undefined,
  token: string | undefined
): ResolvedCredentials => ({
  source,
  secretId: secretId!,
  secretKey: Redacted.make(secretKey!),
  token: token ? Redacted.make(token) : undefined
})

type Step = Effect.Effect<Option.Option<ResolvedCredentials>, string>

/** Both halves, or neither; half a key pair is an error, not a reason to look elsewhere. */
const pair = (
  where: string,
  idName: string,
  keyName: string,
  id: string | undefined,
  key: string | undefined,
  token: string | undefined
): Step => {
  if (id && key) return Effect.succeed(Option.some(make(where, id, key, token)))
  if (id || key) return Effect.fail(`${where}: ${id ? idName : keyName} is set but ${id ? keyName : idName} is not`)
  return Effect.succeed(Option.none())
}

const fromEnv = (paths: Paths): Step =>
  pair(
    "env",
    ENV_ID,
    ENV_KEY,
    nonEmpty(paths.env[ENV_ID]),
    nonEmpty(paths.env[ENV_KEY]),
    nonEmpty(paths.env[ENV_TOKEN])
  )

/** ~/.tencentcloud/credentials, else (only when that file does not exist) the system-wide one. */
const fromIni = (paths: Paths): Step =>
  Effect.flatMap(readOptional(paths.ini), (home) =>
    home !== undefined
      ? iniCredentials(paths.ini, home)
      : Effect.flatMap(readOptional(paths.systemIni), (system) =>
          system === undefined ? Effect.succeed(Option.none()) : iniCredentials(paths.systemIni, system)
        )
  )

const iniCredentials = (path: string, text: string): Step => {
  const parsed = parseIni(text)
  if (typeof parsed === "string") return Effect.fail(`${path} is not an INI file: ${parsed}`)
  const section = parsed.default
  if (section === undefined) return Effect.succeed(Option.none())
  return pair(
    path,
    "secret_id",
    "secret_key",
    nonEmpty(section.secret_id),
    nonEmpty(section.secret_key),
    nonEmpty(section.token)
  )
}

const readJson = (path: string): Effect.Effect<Record<string, unknown> | undefined, string> =>
  Effect.flatMap(readOptional(path), (text) => {
    if (text === undefined) return Effect.succeed(undefined)
    return Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (error) => `${path} is not JSON: ${(error as Error).message}`
    }).pipe(
      Effect.filterOrFail(
        (value): value is Record<string, unknown> =>
          typeof value === "object" && value !== null && !Array.isArray(value),
        () => `${path} is not a JSON object`
      )
    )
  })

const str = (value: unknown): string | undefined => (typeof value === "string" ? nonEmpty(value) : undefined)

const fromTccli = (paths: Paths): Step =>
  Effect.flatMap(readJson(paths.tccliCredential), (json) => {
    if (json === undefined) return Effect.succeed(Option.none())
    const id = str(json.secretId)
    const key = str(json.secretKey)
    if (!id && !key && json.type !== undefined) {
      return Effect.fail(`${paths.tccliCredential}: credential type ${JSON.stringify(json.type)} is not supported`)
    }
    return pair(paths.tccliCredential, "secretId", "secretKey", id, key, str(json.token))
  })

const fromCvmRole = (paths: Paths, options: ChainOptions): Step => {
  const role = nonEmpty(paths.env[ENV_ROLE])
  if (role === undefined) return Effect.succeed(Option.none())
  const endpoint =
    nonEmpty(options.metadataEndpoint) ??
    nonEmpty(paths.env.KUBECRED_CVM_METADATA_ENDPOINT) ??
    DEFAULT_METADATA_ENDPOINT
  return fetchRoleCredentials({ endpoint, role }).pipe(
    Effect.map((fetched) =>
      Option.some({
        ...make(`CVM CAM role ${role} (${ENV_ROLE})`, fetched.secretId, fetched.secretKey, fetched.token),
        expiresAt: fetched.expiresAt
      })
    ),
    Effect.mapError((reason) => `${ENV_ROLE}: ${reason}`)
  )
}

const describePlaces = (paths: Paths, explicit: boolean): Array<string> => [
  ...(explicit ? ["explicit credentials"] : []),
  `env ${ENV_ID}/${ENV_KEY}`,
  paths.ini,
  paths.systemIni,
  paths.tccliCredential,
  ...(nonEmpty(paths.env[ENV_ROLE]) === undefined ? [] : [`CVM CAM role ${nonEmpty(paths.env[ENV_ROLE])}`])
]

/** Walks the chain once. */
export const resolve = (options: ChainOptions = {}): Effect.Effect<ResolvedCredentials, CredentialsMissing> =>
  Effect.suspend(() => {
    const paths = pathsOf(options)
    const searched = describePlaces(paths, options.credentials !== undefined)
    const missing = (detail?: string) =>
      new CredentialsMissing({ provider: "tencent", searched, ...(detail === undefined ? {} : { detail }) })
    const explicit = options.credentials
    if (explicit !== undefined) {
      if (nonEmpty(explicit.secretId) && nonEmpty(Redacted.value(explicit.secretKey))) {
        return Effect.succeed<ResolvedCredentials>({ ...explicit, source: "explicit" })
      }
      return Effect.fail(missing("the explicit credentials have an empty secretId or secretKey"))
    }
    const steps: ReadonlyArray<Step> = [fromEnv(paths), fromIni(paths), fromTccli(paths), fromCvmRole(paths, options)]
    return Effect.reduce(steps, Option.none<ResolvedCredentials>(), (found, step) =>
      Option.isSome(found) ? Effect.succeed(found) : step
    ).pipe(
      Effect.mapError(missing),
      Effect.flatMap(Option.match({ onNone: () => Effect.fail(missing()), onSome: Effect.succeed }))
    )
  })

/** TENCENTCLOUD_REGION, then `_sys_param.region` of ~/.tccli/<profile>.configure; an unreadable file counts as none. */
export const defaultRegion = (options: ChainOptions = {}): Effect.Effect<Option.Option<string>> =>
  Effect.suspend(() => {
    const paths = pathsOf(options)
    const fromEnv = nonEmpty(paths.env[ENV_REGION])
    if (fromEnv) return Effect.succeed(Option.some(fromEnv))
    return readJson(paths.tccliConfigure).pipe(
      Effect.map((json) => {
        const sys = json?._sys_param
        const region =
          typeof sys === "object" && sys !== null ? str((sys as Record<string, unknown>).region) : undefined
        return Option.fromNullable(region)
      }),
      Effect.catchAll((why) => Effect.as(Effect.logWarning(`ignoring tccli configure: ${why}`), Option.none()))
    )
  })
