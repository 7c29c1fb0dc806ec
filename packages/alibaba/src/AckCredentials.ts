/**
 * The Alibaba Cloud credential chain, in the order of the ecosystem's own tools (contracts.md §2.9):
 *
 * 1. explicit credentials given to the client;
 * 2. environment: `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`,
 *    then the older `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY` and `ALICLOUD_ACCESS_KEY_ID` /
 *    `ALICLOUD_ACCESS_KEY_SECRET` forms (with `ALICLOUD_SECURITY_TOKEN`);
 * 3. the aliyun CLI's `~/.aliyun/config.json` (profile: the option, else `ALIBABA_CLOUD_PROFILE`, else the file's
 *    `current`; modes `AK` and `StsToken`), skipped when `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`;
 * 4. the shared `~/.alibabacloud/credentials` INI file (`ALIBABA_CLOUD_CREDENTIALS_FILE` overrides; section: the
 *    option, else `ALIBABA_CLOUD_PROFILE`, else `default`; `type = access_key` or `ecs_ram_role`);
 * 5. the ECS instance's RAM role named by `ALIBABA_CLOUD_ECS_METADATA`, from the instance metadata service.
 *
 * A RAM role (step 5, CLI mode `EcsRamRole`, file type `ecs_ram_role`) gives STS credentials that expire; the
 * memoized chain fetches them again five minutes before they do. `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true` turns
 * the metadata service off, `ALIBABA_CLOUD_IMDSV1_DISABLED=true` requires its session token (IMDSv2), and
 * `KUBECRED_ECS_METADATA_ENDPOINT` points it elsewhere (the mock cloud serves one).
 *
 * Secrets are held as Redacted from the moment they are read. Nothing found, an unreadable file, or an
 * unsupported mode gives CredentialsMissing naming every place looked at.
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { CredentialsMissing } from "@kubecred/core/KubecredError"
import { stillFresh } from "@kubecred/core/TemporaryCredentials"
import { readFile } from "node:fs/promises"
import { homedir } from "node:os"
import { join } from "node:path"
import { DEFAULT_METADATA_ENDPOINT, fetchRoleCredentials } from "./internal/ecsRamRole.js"

export interface AckCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: Redacted.Redacted<string>
  readonly securityToken?: Redacted.Redacted<string> | undefined
}

/** Credentials and where they were found (for `--verbose`; never the secret). */
export interface ResolvedCredentials extends AckCredentials {
  readonly source: string
  /** When STS credentials from a RAM role stop working. */
  readonly expiresAt?: Date | undefined
}

export interface ChainOptions {
  readonly credentials?: AckCredentials | undefined
  readonly profile?: string | undefined
  readonly env?: Record<string, string | undefined> | undefined
  readonly home?: string | undefined
  /** The ECS metadata service; else KUBECRED_ECS_METADATA_ENDPOINT, else http://100.100.100.200. */
  readonly metadataEndpoint?: string | undefined
}

interface Located {
  readonly env: Record<string, string | undefined>
  readonly cliConfigPath: string
  readonly credentialsFilePath: string
  readonly credentialsFileFromEnv: boolean
}

const locate = (options: ChainOptions): Located => {
  const env = options.env ?? process.env
  const home = options.home ?? homedir()
  const fromEnv = nonEmpty(env.ALIBABA_CLOUD_CREDENTIALS_FILE)
  return {
    env,
    cliConfigPath: join(home, ".aliyun", "config.json"),
    credentialsFilePath: fromEnv ?? join(home, ".alibabacloud", "credentials"),
    credentialsFileFromEnv: fromEnv !== undefined
  }
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value.trim()

const make = (
  accessKeyId: string,
  accessKeySecret: string,
  securityToken: string | undefined,
  source: string
): ResolvedCredentials => ({
  accessKeyId,
  accessKeySecret: Redacted.make(accessKeySecret),
  securityToken: securityToken === undefined ? undefined : Redacted.make(securityToken),
  source
})

const missing = (searched: ReadonlyArray<string>, detail?: string) =>
  new CredentialsMissing({ provider: "alibaba", searched: [...searched], ...(detail ? { detail } : {}) })

/** Reads a file; `none` when it does not exist, a reason when it exists but cannot be read. */
const readOptional = (path: string): Effect.Effect<Option.Option<string>, string> =>
  Effect.tryPromise({
    try: () => readFile(path, "utf8"),
    catch: (e) => e as NodeJS.ErrnoException
  }).pipe(
    Effect.map(Option.some),
    Effect.catchAll((e) =>
      e.code === "ENOENT" || e.code === "ENOTDIR"
        ? Effect.succeed(Option.none<string>())
        : Effect.fail(`cannot read ${path}: ${e.code ?? e.message}`)
    )
  )

// ---------------------------------------------------------------------------------------------------------------
// environment

const envPairs = [
  {
    id: "ALIBABA_CLOUD_ACCESS_KEY_ID",
    secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    token: "ALIBABA_CLOUD_SECURITY_TOKEN"
  },
  { id: "ALICLOUD_ACCESS_KEY", secret: "ALICLOUD_SECRET_KEY", token: "ALICLOUD_SECURITY_TOKEN" },
  { id: "ALICLOUD_ACCESS_KEY_ID", secret: "ALICLOUD_ACCESS_KEY_SECRET", token: "ALICLOUD_SECURITY_TOKEN" }
] as const

type Step = Effect.Effect<Option.Option<ResolvedCredentials>, CredentialsMissing>

const fromEnvironment = (env: Record<string, string | undefined>, searched: Array<string>): Step =>
  Effect.suspend(() => {
    for (const pair of envPairs) {
      searched.push(`environment ${pair.id}/${pair.secret}`)
      const id = nonEmpty(env[pair.id])
      const secret = nonEmpty(env[pair.secret])
      if (id !== undefined && secret !== undefined) {
        return Effect.succeed(Option.some(make(id, secret, nonEmpty(env[pair.token]), `environment ${pair.id}`)))
      }
      if (id !== undefined || secret !== undefined) {
        const [set, unset] = id !== undefined ? [pair.id, pair.secret] : [pair.secret, pair.id]
        return Effect.fail(missing(searched, `${set} is set but ${unset} is not`))
      }
    }
    return Effect.succeed(Option.none())
  })

// ---------------------------------------------------------------------------------------------------------------
// ~/.aliyun/config.json

interface CliProfile {
  readonly name?: unknown
  readonly mode?: unknown
  readonly access_key_id?: unknown
  readonly access_key_secret?: unknown
  readonly sts_token?: unknown
  readonly ram_role_name?: unknown
  readonly region_id?: unknown
}

interface CliConfig {
  readonly current?: unknown
  readonly profiles?: unknown
}

const parseCliConfig = (path: string, text: string): Effect.Effect<CliConfig, string> =>
  Effect.try({
    try: () => JSON.parse(text) as unknown,
    catch: (e) => `${path} is not valid JSON (${(e as Error).message})`
  }).pipe(
    Effect.filterOrFail(
      (json): json is CliConfig =>
        typeof json === "object" &&
        json !== null &&
        !Array.isArray(json) &&
        ((json as CliConfig).profiles === undefined || Array.isArray((json as CliConfig).profiles)),
      () => `${path} is not an aliyun CLI configuration (expected {"current": ..., "profiles": [...]})`
    )
  )

const str = (value: unknown): string | undefined => (typeof value === "string" ? nonEmpty(value) : undefined)

/** The profile the chain uses from config.json, or none (file absent, disabled, or profile not in it). */
const cliProfile = (
  options: ChainOptions,
  located: Located
): Effect.Effect<Option.Option<{ readonly name: string; readonly profile: CliProfile }>, string> =>
  Effect.gen(function* () {
    if (located.env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED?.toLowerCase() === "true") return Option.none()
    const text = yield* readOptional(located.cliConfigPath)
    if (Option.isNone(text)) return Option.none()
    const config = yield* parseCliConfig(located.cliConfigPath, text.value)
    const name =
      nonEmpty(options.profile) ?? nonEmpty(located.env.ALIBABA_CLOUD_PROFILE) ?? str(config.current) ?? "default"
    const profiles = (config.profiles ?? []) as ReadonlyArray<CliProfile>
    const profile = profiles.find((p) => typeof p === "object" && p !== null && p.name === name)
    return profile === undefined ? Option.none() : Option.some({ name, profile })
  })

const supportedModes = "AK, StsToken, EcsRamRole"

// ---------------------------------------------------------------------------------------------------------------
// the ECS instance's RAM role

const metadataDisabled = (env: Record<string, string | undefined>) =>
  env.ALIBABA_CLOUD_ECS_METADATA_DISABLED?.toLowerCase() === "true"

/** STS credentials of `role` from the metadata service; `where` says which setting named the role. */
const fromRamRole = (
  options: ChainOptions,
  located: Located,
  searched: Array<string>,
  role: string,
  where: string
): Effect.Effect<ResolvedCredentials, CredentialsMissing> => {
  if (metadataDisabled(located.env)) {
    return Effect.fail(
      missing(searched, `${where} names RAM role ${role}, but ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`)
    )
  }
  const endpoint =
    nonEmpty(options.metadataEndpoint) ??
    nonEmpty(located.env.KUBECRED_ECS_METADATA_ENDPOINT) ??
    DEFAULT_METADATA_ENDPOINT
  return fetchRoleCredentials({
    endpoint,
    role,
    imdsV1Disabled: located.env.ALIBABA_CLOUD_IMDSV1_DISABLED?.toLowerCase() === "true"
  }).pipe(
    Effect.map((fetched) => ({
      ...make(fetched.accessKeyId, fetched.accessKeySecret, fetched.securityToken, `ECS RAM role ${role} (${where})`),
      expiresAt: fetched.expiresAt
    })),
    Effect.mapError((reason) => missing(searched, `${where}: ${reason}`))
  )
}

const fromEcsMetadataEnv = (options: ChainOptions, located: Located, searched: Array<string>): Step =>
  Effect.suspend(() => {
    const role = nonEmpty(located.env.ALIBABA_CLOUD_ECS_METADATA)
    if (role === undefined) return Effect.succeed(Option.none())
    if (metadataDisabled(located.env)) {
      searched.push("ECS RAM role (skipped: ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)")
      return Effect.succeed(Option.none())
    }
    searched.push(`ECS RAM role ${role} (ALIBABA_CLOUD_ECS_METADATA)`)
    return Effect.map(fromRamRole(options, located, searched, role, "ALIBABA_CLOUD_ECS_METADATA"), Option.some)
  })

const fromCliConfig = (options: ChainOptions, located: Located, searched: Array<string>): Step =>
  Effect.gen(function* () {
    if (located.env.ALIBABA_CLOUD_CLI_PROFILE_DISABLED?.toLowerCase() === "true") {
      searched.push(`${located.cliConfigPath} (skipped: ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)`)
      return Option.none()
    }
    const found = yield* cliProfile(options, located).pipe(
      Effect.mapError((reason) => {
        searched.push(located.cliConfigPath)
        return missing(searched, reason)
      })
    )
    if (Option.isNone(found)) {
      searched.push(located.cliConfigPath)
      return Option.none()
    }
    const { name, profile } = found.value
    const where = `${located.cliConfigPath} profile ${JSON.stringify(name)}`
    searched.push(where)
    const mode = str(profile.mode) ?? "AK"
    if (mode === "EcsRamRole") {
      const role = str(profile.ram_role_name)
      if (role === undefined)
        return yield* Effect.fail(missing(searched, `${where} (mode EcsRamRole) has no ram_role_name`))
      return Option.some(yield* fromRamRole(options, located, searched, role, where))
    }
    if (mode !== "AK" && mode !== "StsToken") {
      return yield* Effect.fail(
        missing(searched, `${where} uses mode ${mode}, which kubecred does not support (supported: ${supportedModes})`)
      )
    }
    const id = str(profile.access_key_id)
    const secret = str(profile.access_key_secret)
    const token = str(profile.sts_token)
    if (id === undefined || secret === undefined) {
      return yield* Effect.fail(missing(searched, `${where} (mode ${mode}) has no access_key_id/access_key_secret`))
    }
    if (mode === "StsToken" && token === undefined) {
      return yield* Effect.fail(missing(searched, `${where} (mode StsToken) has no sts_token`))
    }
    return Option.some(make(id, secret, mode === "StsToken" ? token : undefined, where))
  })

// ---------------------------------------------------------------------------------------------------------------
// ~/.alibabacloud/credentials (INI)

/** Parses the INI dialect of the shared credentials file: `[section]`, `key = value`, `;` and `#` comments. */
export const parseIni = (
  text: string
): { readonly sections: Map<string, Map<string, string>> } | { readonly error: string } => {
  const sections = new Map<string, Map<string, string>>()
  let current: Map<string, string> | undefined
  const lines = text.split(/\r?\n/)
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
    if (eq <= 0) return { error: `line ${i + 1} is neither [section] nor key = value` }
    if (current === undefined) return { error: `line ${i + 1} has a key outside any [section]` }
    current.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim())
  }
  return { sections }
}

const fromCredentialsFile = (options: ChainOptions, located: Located, searched: Array<string>): Step =>
  Effect.gen(function* () {
    const path = located.credentialsFilePath
    const section = nonEmpty(options.profile) ?? nonEmpty(located.env.ALIBABA_CLOUD_PROFILE) ?? "default"
    const where = `${path} [${section}]`
    searched.push(where)
    const text = yield* readOptional(path).pipe(Effect.mapError((reason) => missing(searched, reason)))
    if (Option.isNone(text)) {
      if (located.credentialsFileFromEnv) {
        return yield* Effect.fail(
          missing(searched, `ALIBABA_CLOUD_CREDENTIALS_FILE points at ${path}, which does not exist`)
        )
      }
      return Option.none()
    }
    const parsed = parseIni(text.value)
    if ("error" in parsed) return yield* Effect.fail(missing(searched, `${path} cannot be parsed: ${parsed.error}`))
    const entries = parsed.sections.get(section)
    if (entries === undefined) return Option.none()
    const type = nonEmpty(entries.get("type")) ?? "access_key"
    if (type === "ecs_ram_role") {
      const role = nonEmpty(entries.get("role_name"))
      if (role === undefined)
        return yield* Effect.fail(missing(searched, `${where} (type ecs_ram_role) has no role_name`))
      return Option.some(yield* fromRamRole(options, located, searched, role, where))
    }
    if (type !== "access_key") {
      return yield* Effect.fail(
        missing(
          searched,
          `${where} has type ${type}, which kubecred does not support (supported: access_key, ecs_ram_role)`
        )
      )
    }
    const id = nonEmpty(entries.get("access_key_id"))
    const secret = nonEmpty(entries.get("access_key_secret"))
    if (id === undefined || secret === undefined) {
      return yield* Effect.fail(missing(searched, `${where} has no access_key_id/access_key_secret`))
    }
    return Option.some(make(id, secret, undefined, where))
  })

// ---------------------------------------------------------------------------------------------------------------

/** Runs the chain once. */
export const resolve = (options: ChainOptions = {}): Effect.Effect<ResolvedCredentials, CredentialsMissing> =>
  Effect.suspend(() => {
    if (options.credentials !== undefined) {
      return Effect.succeed<ResolvedCredentials>({ ...options.credentials, source: "explicit credentials" })
    }
    const located = locate(options)
    const searched: Array<string> = []
    const steps: ReadonlyArray<Step> = [
      fromEnvironment(located.env, searched),
      fromCliConfig(options, located, searched),
      fromCredentialsFile(options, located, searched),
      fromEcsMetadataEnv(options, located, searched)
    ]
    return Effect.reduce(steps, Option.none<ResolvedCredentials>(), (found, step) =>
      Option.isSome(found) ? Effect.succeed(found) : step
    ).pipe(
      Effect.flatMap(
        Option.match({
          onNone: () =>
            Effect.fail(
              missing(
                searched,
                nonEmpty(options.profile) === undefined
                  ? undefined
                  : `profile ${JSON.stringify(options.profile)} not found`
              )
            ),
          onSome: Effect.succeed
        })
      )
    )
  })

/**
 * The region to use when the caller gives none: `ALIBABA_CLOUD_REGION_ID`, then the aliyun CLI profile's
 * `region_id`. A configuration file that cannot be read gives no region (the credential step reports it).
 */
export const defaultRegion = (options: ChainOptions = {}): Effect.Effect<Option.Option<string>> =>
  Effect.suspend(() => {
    const located = locate(options)
    const fromEnv = nonEmpty(located.env.ALIBABA_CLOUD_REGION_ID)
    if (fromEnv !== undefined) return Effect.succeed(Option.some(fromEnv))
    return cliProfile(options, located).pipe(
      Effect.map(Option.flatMap(({ profile }) => Option.fromNullable(str(profile.region_id)))),
      Effect.orElseSucceed(() => Option.none<string>())
    )
  })

/**
 * The chain resolved lazily on first use and remembered once it succeeds (a failure is not remembered, so
 * credentials created after a failed call are picked up by the next one). Credentials that expire (a RAM
 * role's) are remembered until five minutes before they do.
 */
export const memoized = (
  options: ChainOptions = {}
): Effect.Effect<Effect.Effect<ResolvedCredentials, CredentialsMissing>> =>
  Effect.gen(function* () {
    const semaphore = yield* Effect.makeSemaphore(1)
    let cached: ResolvedCredentials | undefined
    const fresh = Effect.map(Clock.currentTimeMillis, (now) =>
      cached !== undefined && stillFresh(cached.expiresAt, now) ? cached : undefined
    )
    return Effect.flatMap(fresh, (hit) =>
      hit !== undefined
        ? Effect.succeed(hit)
        : semaphore.withPermits(1)(
            Effect.flatMap(fresh, (again) =>
              again !== undefined
                ? Effect.succeed(again)
                : Effect.tap(resolve(options), (c) => Effect.sync(() => (cached = c)))
            )
          )
    )
  })
