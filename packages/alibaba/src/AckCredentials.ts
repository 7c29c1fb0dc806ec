/**
 * The Alibaba Cloud credential chain, in the order of the ecosystem's own tools (docs/contracts/ack.md "Credentials"),
 * built from the core kit (@kubecred/core/CredentialChain):
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
import * as Chain from "@kubecred/core/CredentialChain"
import type { Credentials } from "@kubecred/core/ProviderEngine"
import type { CredentialsMissing, InvalidInput } from "@kubecred/core/KubecredError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { homedir } from "node:os"
import { join } from "node:path"
import * as Env from "./AckEnvironment.js"
import { DEFAULT_METADATA_ENDPOINT, fetchRoleCredentials } from "./internal/ecsRamRole.js"

export interface AckCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: Redacted.Redacted<string>
  readonly securityToken?: Redacted.Redacted<string> | undefined
}

/** Credentials, where they were found (for `--verbose`; never the secret) and when a role's expire. */
export interface ResolvedCredentials extends AckCredentials, Credentials {}

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
  /** The option or ALIBABA_CLOUD_PROFILE (checked to be a name); undefined when neither names one. */
  readonly profile: string | undefined
  readonly cliConfigPath: string
  readonly credentialsFilePath: string
  readonly credentialsFileFromEnv: boolean
}

const locate = (options: ChainOptions): Either.Either<Located, InvalidInput> => {
  const env = options.env ?? process.env
  const home = options.home ?? homedir()
  const fromEnv = Chain.nonEmpty(env[Env.ENV_CREDENTIALS_FILE])
  const named = Chain.nonEmpty(options.profile) ?? Chain.nonEmpty(env[Env.ENV_PROFILE])
  return Either.map(named === undefined ? Either.right(undefined) : Chain.checkProfile(named), (profile) => ({
    env,
    profile,
    cliConfigPath: join(home, ".aliyun", "config.json"),
    credentialsFilePath: fromEnv ?? join(home, ".alibabacloud", "credentials"),
    credentialsFileFromEnv: fromEnv !== undefined
  }))
}

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

type Step = Chain.Step<ResolvedCredentials>

// ---------------------------------------------------------------------------------------------------------------
// environment

const fromEnvironment =
  (env: Record<string, string | undefined>): Step =>
  (searched) =>
    Effect.suspend(() => {
      for (const pair of Env.keyPairVariables) {
        searched.add(`environment ${pair.id}/${pair.secret}`)
        const found = Chain.keyPair("environment", pair, Chain.nonEmpty(env[pair.id]), Chain.nonEmpty(env[pair.secret]))
        if (Either.isLeft(found)) return Effect.fail(found.left.replace(/^environment: /, ""))
        if (Option.isSome(found.right)) {
          const { id, secret } = found.right.value
          return Effect.succeed(
            Option.some(make(id, secret, Chain.nonEmpty(env[pair.token]), `environment ${pair.id}`))
          )
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

/** The profile the chain uses from config.json, or none (file absent, disabled, or profile not in it). */
const cliProfile = (
  located: Located
): Effect.Effect<Option.Option<{ readonly name: string; readonly profile: CliProfile }>, string> =>
  Effect.gen(function* () {
    if (Chain.enabled(located.env[Env.ENV_CLI_PROFILE_DISABLED])) return Option.none()
    const config = yield* Chain.readJsonObject(located.cliConfigPath)
    if (Option.isNone(config)) return Option.none()
    const profiles = config.value.profiles
    if (profiles !== undefined && !Array.isArray(profiles)) {
      return yield* Effect.fail(
        `${located.cliConfigPath} is not an aliyun CLI configuration (expected {"current": ..., "profiles": [...]})`
      )
    }
    const name = located.profile ?? Chain.text(config.value.current) ?? "default"
    const profile = ((profiles ?? []) as ReadonlyArray<CliProfile>).find(
      (p) => typeof p === "object" && p !== null && p.name === name
    )
    return profile === undefined ? Option.none() : Option.some({ name, profile })
  })

const supportedModes = "AK, StsToken, EcsRamRole"

// ---------------------------------------------------------------------------------------------------------------
// the ECS instance's RAM role

/** STS credentials of `role` from the metadata service; `where` says which setting named the role. */
const fromRamRole = (
  options: ChainOptions,
  located: Located,
  role: string,
  where: string
): Effect.Effect<ResolvedCredentials, string> => {
  if (Chain.enabled(located.env[Env.ENV_ECS_METADATA_DISABLED])) {
    return Effect.fail(`${where} names RAM role ${role}, but ${Env.ENV_ECS_METADATA_DISABLED}=true`)
  }
  const endpoint =
    Chain.nonEmpty(options.metadataEndpoint) ??
    Chain.nonEmpty(located.env[Env.ENV_METADATA_ENDPOINT]) ??
    DEFAULT_METADATA_ENDPOINT
  return fetchRoleCredentials({
    endpoint,
    role,
    imdsV1Disabled: Chain.enabled(located.env[Env.ENV_IMDSV1_DISABLED])
  }).pipe(
    Effect.map((fetched) => ({
      ...make(fetched.accessKeyId, fetched.accessKeySecret, fetched.securityToken, `ECS RAM role ${role} (${where})`),
      expiresAt: fetched.expiresAt
    })),
    Effect.mapError((reason) => `${where}: ${reason}`)
  )
}

const fromEcsMetadataEnv =
  (options: ChainOptions, located: Located): Step =>
  (searched) =>
    Effect.suspend(() => {
      const role = Chain.nonEmpty(located.env[Env.ENV_ECS_ROLE])
      if (role === undefined) return Effect.succeed(Option.none())
      if (Chain.enabled(located.env[Env.ENV_ECS_METADATA_DISABLED])) {
        searched.add(`ECS RAM role (skipped: ${Env.ENV_ECS_METADATA_DISABLED}=true)`)
        return Effect.succeed(Option.none())
      }
      searched.add(`ECS RAM role ${role} (${Env.ENV_ECS_ROLE})`)
      return Effect.map(fromRamRole(options, located, role, Env.ENV_ECS_ROLE), Option.some)
    })

const fromCliConfig =
  (options: ChainOptions, located: Located): Step =>
  (searched) =>
    Effect.gen(function* () {
      if (Chain.enabled(located.env[Env.ENV_CLI_PROFILE_DISABLED])) {
        searched.add(`${located.cliConfigPath} (skipped: ${Env.ENV_CLI_PROFILE_DISABLED}=true)`)
        return Option.none()
      }
      const found = yield* cliProfile(located).pipe(
        Effect.tapError(() => Effect.sync(() => searched.add(located.cliConfigPath)))
      )
      if (Option.isNone(found)) {
        searched.add(located.cliConfigPath)
        return Option.none()
      }
      const { name, profile } = found.value
      const where = `${located.cliConfigPath} profile ${JSON.stringify(name)}`
      searched.add(where)
      const mode = Chain.text(profile.mode) ?? "AK"
      if (mode === "EcsRamRole") {
        const role = Chain.text(profile.ram_role_name)
        if (role === undefined) return yield* Effect.fail(`${where} (mode EcsRamRole) has no ram_role_name`)
        return Option.some(yield* fromRamRole(options, located, role, where))
      }
      if (mode !== "AK" && mode !== "StsToken") {
        return yield* Effect.fail(
          `${where} uses mode ${mode}, which kubecred does not support (supported: ${supportedModes})`
        )
      }
      const id = Chain.text(profile.access_key_id)
      const secret = Chain.text(profile.access_key_secret)
      const token = Chain.text(profile.sts_token)
      if (id === undefined || secret === undefined) {
        return yield* Effect.fail(`${where} (mode ${mode}) has no access_key_id/access_key_secret`)
      }
      if (mode === "StsToken" && token === undefined) {
        return yield* Effect.fail(`${where} (mode StsToken) has no sts_token`)
      }
      return Option.some(make(id, secret, mode === "StsToken" ? token : undefined, where))
    })

// ---------------------------------------------------------------------------------------------------------------
// ~/.alibabacloud/credentials (INI)

const fromCredentialsFile =
  (options: ChainOptions, located: Located): Step =>
  (searched) =>
    Effect.gen(function* () {
      const path = located.credentialsFilePath
      const section = located.profile ?? "default"
      const where = `${path} [${section}]`
      searched.add(where)
      const sections = yield* Chain.readIni(path)
      if (Option.isNone(sections)) {
        if (located.credentialsFileFromEnv) {
          return yield* Effect.fail(`${Env.ENV_CREDENTIALS_FILE} points at ${path}, which does not exist`)
        }
        return Option.none()
      }
      const entries = sections.value.get(section)
      if (entries === undefined) return Option.none()
      const type = Chain.nonEmpty(entries.get("type")) ?? "access_key"
      if (type === "ecs_ram_role") {
        const role = Chain.nonEmpty(entries.get("role_name"))
        if (role === undefined) return yield* Effect.fail(`${where} (type ecs_ram_role) has no role_name`)
        return Option.some(yield* fromRamRole(options, located, role, where))
      }
      if (type !== "access_key") {
        return yield* Effect.fail(
          `${where} has type ${type}, which kubecred does not support (supported: access_key, ecs_ram_role)`
        )
      }
      const id = Chain.nonEmpty(entries.get("access_key_id"))
      const secret = Chain.nonEmpty(entries.get("access_key_secret"))
      if (id === undefined || secret === undefined) {
        return yield* Effect.fail(`${where} has no access_key_id/access_key_secret`)
      }
      return Option.some(make(id, secret, undefined, where))
    })

// ---------------------------------------------------------------------------------------------------------------

/** Runs the chain once. */
export const resolve = (
  options: ChainOptions = {}
): Effect.Effect<ResolvedCredentials, CredentialsMissing | InvalidInput> =>
  Effect.suspend(() => {
    if (options.credentials !== undefined) {
      return Effect.succeed<ResolvedCredentials>({ ...options.credentials, source: "explicit credentials" })
    }
    return Either.match(locate(options), {
      onLeft: (refused): Effect.Effect<ResolvedCredentials, CredentialsMissing | InvalidInput> => Effect.fail(refused),
      onRight: (located) =>
        Chain.first(
          "alibaba",
          [
            fromEnvironment(located.env),
            fromCliConfig(options, located),
            fromCredentialsFile(options, located),
            fromEcsMetadataEnv(options, located)
          ],
          Chain.nonEmpty(options.profile) === undefined
            ? undefined
            : `profile ${JSON.stringify(options.profile)} not found`
        )
    })
  })

/**
 * The region to use when the caller gives none: `ALIBABA_CLOUD_REGION_ID`, then the aliyun CLI profile's
 * `region_id`. A configuration file that cannot be read gives no region (the credential step reports it).
 */
export const defaultRegion = (options: ChainOptions = {}): Effect.Effect<Option.Option<string>> =>
  Effect.suspend(() => {
    const env = options.env ?? process.env
    const fromEnv = Chain.nonEmpty(env[Env.ENV_REGION])
    if (fromEnv !== undefined) return Effect.succeed(Option.some(fromEnv))
    const located = locate(options)
    if (Either.isLeft(located)) return Effect.succeed(Option.none())
    return cliProfile(located.right).pipe(
      Effect.map(Option.flatMap(({ profile }) => Option.fromNullable(Chain.text(profile.region_id)))),
      Effect.orElseSucceed(() => Option.none<string>())
    )
  })

/** The chain resolved on first use and remembered until shortly before it expires (CredentialChain.cached). */
export const memoized = (
  options: ChainOptions = {}
): Effect.Effect<Effect.Effect<ResolvedCredentials, CredentialsMissing | InvalidInput>> =>
  Chain.cached(resolve(options))
