/**
 * The Alibaba Cloud credential chain, in the order of the ecosystem's own tools (docs/contracts/ack.md "Credentials"),
 * built from the core kit (@kubecred/core/CredentialChain):
 *
 * 1. explicit credentials given to the client;
 * 2. environment: `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`,
 *    then the older `ALICLOUD_ACCESS_KEY` / `ALICLOUD_SECRET_KEY` and `ALICLOUD_ACCESS_KEY_ID` /
 *    `ALICLOUD_ACCESS_KEY_SECRET` forms (with `ALICLOUD_SECURITY_TOKEN`);
 * 3. RRSA (OIDC): `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_OIDC_TOKEN_FILE`
 *    (optional `ALIBABA_CLOUD_ROLE_SESSION_NAME`), exchanged with STS AssumeRoleWithOIDC, unsigned, the token file
 *    read afresh at each exchange;
 * 4. the aliyun CLI's `~/.aliyun/config.json` (profile: the option, else `ALIBABA_CLOUD_PROFILE`, else the file's
 *    `current`; modes `AK`, `StsToken`, `EcsRamRole`, `RamRoleArn`, `ChainableRamRoleArn` (`source_profile`),
 *    `OIDC`, `External` (`process_command`) and `CredentialsURI`), skipped when
 *    `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`;
 * 5. the shared `~/.alibabacloud/credentials` INI file (`ALIBABA_CLOUD_CREDENTIALS_FILE` overrides; section: the
 *    option, else `ALIBABA_CLOUD_PROFILE`, else `default`; `type = access_key`, `ecs_ram_role`, `ram_role_arn`,
 *    `oidc_role_arn` or `credentials_uri`);
 * 6. the ECS instance's RAM role named by `ALIBABA_CLOUD_ECS_METADATA`, from the instance metadata service;
 * 7. `ALIBABA_CLOUD_CREDENTIALS_URI`.
 *
 * This is @alicloud/credentials' default chain order (`providers/default.js`). Then, when `roleArn` is given,
 * the credentials found are exchanged for that role's with STS AssumeRole (RPC-signed). STS is
 * `https://sts.aliyuncs.com` (`sts[-vpc].<region>.aliyuncs.com` with `ALIBABA_CLOUD_STS_REGION` /
 * `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`); `KUBECRED_ACK_STS_ENDPOINT` points it elsewhere.
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
import type { InvalidInput } from "@kubecred/core/KubecredError"
import type { Credentials } from "@kubecred/core/ProviderEngine"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { homedir } from "node:os"
import { join } from "node:path"
import * as Env from "./AckEnvironment.js"
import { DEFAULT_METADATA_ENDPOINT, fetchRoleCredentials } from "./internal/ecsRamRole.js"
import * as Sts from "./internal/sts.js"
import * as Temporary from "./internal/temporarySources.js"

export interface AckCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: Redacted.Redacted<string>
  readonly securityToken?: Redacted.Redacted<string> | undefined
}

/** Credentials, where they were found (for `--verbose`; never the secret) and when a role's expire. */
export interface ResolvedCredentials extends AckCredentials, Credentials {}

/** The role and STS options (Chain.StsOptions): KUBECRED_*_STS_ENDPOINT is this provider's variable. */
export interface ChainOptions extends Chain.StsOptions {
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
  /** Where STS calls go, unless a CLI profile names its own endpoint. */
  readonly sts: Sts.StsTarget
  /** Whether the STS endpoint was set by the caller or KUBECRED_ACK_STS_ENDPOINT (then it wins over a profile's). */
  readonly stsOverridden: boolean
}

const locate = (options: ChainOptions): Either.Either<Located, InvalidInput> => {
  const env = options.env ?? process.env
  const home = options.home ?? homedir()
  const fromEnv = Chain.nonEmpty(env[Env.ENV_CREDENTIALS_FILE])
  const named = Chain.nonEmpty(options.profile) ?? Chain.nonEmpty(env[Env.ENV_PROFILE])
  const override = Chain.nonEmpty(options.stsEndpoint) ?? Chain.nonEmpty(env[Env.ENV_STS_ENDPOINT])
  return Either.map(named === undefined ? Either.right(undefined) : Chain.checkProfile(named), (profile) => ({
    env,
    profile,
    cliConfigPath: join(home, ".aliyun", "config.json"),
    credentialsFilePath: fromEnv ?? join(home, ".alibabacloud", "credentials"),
    credentialsFileFromEnv: fromEnv !== undefined,
    sts: {
      endpoint:
        override ??
        Sts.endpointFor(Chain.nonEmpty(env[Env.ENV_STS_REGION]), Chain.enabled(env[Env.ENV_VPC_ENDPOINT_ENABLED])),
      ca: options.stsCa,
      env
    },
    stsOverridden: override !== undefined
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

const fromTemporary = (found: Temporary.Temporary, source: string): ResolvedCredentials => ({
  ...make(found.accessKeyId, found.accessKeySecret, found.securityToken, source),
  expiresAt: found.expiresAt
})

const plain = (credentials: ResolvedCredentials): Temporary.Temporary => ({
  accessKeyId: credentials.accessKeyId,
  accessKeySecret: Redacted.value(credentials.accessKeySecret),
  securityToken: credentials.securityToken === undefined ? undefined : Redacted.value(credentials.securityToken),
  expiresAt: credentials.expiresAt
})

/** STS at a profile's own endpoint (a host, or a URL) unless the caller or KUBECRED_ACK_STS_ENDPOINT overrode it. */
const stsAt = (located: Located, profileEndpoint: string | undefined, region?: string | undefined): Sts.StsTarget => {
  if (located.stsOverridden) return located.sts
  if (profileEndpoint !== undefined) {
    return {
      ...located.sts,
      endpoint: /^https?:\/\//.test(profileEndpoint) ? profileEndpoint : `https://${profileEndpoint}`
    }
  }
  return region === undefined ? located.sts : { ...located.sts, endpoint: Sts.endpointFor(region, false) }
}

/** A positive whole number of seconds from a profile, else undefined. */
const seconds = (value: unknown): number | undefined => {
  const n = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN
  return Number.isInteger(n) && n > 0 ? n : undefined
}

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
// RRSA (OIDC) and the credentials URI, from the environment

const fromOidcEnvironment =
  (located: Located): Step =>
  (searched) =>
    Effect.gen(function* () {
      const env = located.env
      const values = Env.oidcVariables.map((name) => Chain.nonEmpty(env[name]))
      // as the official provider: all three, or this source is not configured
      if (values.some((value) => value === undefined)) return Option.none()
      const [roleArn, providerArn, tokenFile] = values as Array<string>
      searched.add(`RRSA ${Env.ENV_OIDC_ROLE_ARN}/${Env.ENV_OIDC_TOKEN_FILE}`)
      const found = yield* Temporary.assumeRoleWithOidc(located.sts, {
        roleArn: roleArn!,
        providerArn: providerArn!,
        tokenFile: tokenFile!,
        tokenFileSetting: Env.ENV_OIDC_TOKEN_FILE,
        sessionName: Chain.nonEmpty(env[Env.ENV_ROLE_SESSION_NAME]),
        step: `${Env.ENV_OIDC_ROLE_ARN} (RRSA, ${Env.ENV_OIDC_TOKEN_FILE})`
      })
      return Option.some(fromTemporary(found, `RRSA ${roleArn} (${Env.ENV_OIDC_ROLE_ARN})`))
    })

const fromCredentialsUriEnvironment =
  (located: Located): Step =>
  (searched) =>
    Effect.gen(function* () {
      const uri = Chain.nonEmpty(located.env[Env.ENV_CREDENTIALS_URI])
      if (uri === undefined) return Option.none()
      searched.add(Env.ENV_CREDENTIALS_URI)
      const found = yield* Temporary.fromCredentialsUri(uri, Env.ENV_CREDENTIALS_URI, located.sts)
      return Option.some(fromTemporary(found, Env.ENV_CREDENTIALS_URI))
    })

// ---------------------------------------------------------------------------------------------------------------
// ~/.aliyun/config.json

/** A profile of the aliyun CLI's config.json: the fields its modes use (`providers/cli_profile.js`). */
type CliProfile = Readonly<Record<string, unknown>>

/** The profile the chain uses from config.json, or none (file absent, disabled, or profile not in it). */
const cliProfile = (
  located: Located
): Effect.Effect<
  Option.Option<{
    readonly name: string
    readonly profile: CliProfile
    readonly profiles: ReadonlyArray<CliProfile>
  }>,
  string
> =>
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
    return profile === undefined
      ? Option.none()
      : Option.some({ name, profile, profiles: (profiles ?? []) as ReadonlyArray<CliProfile> })
  })

const supportedModes = "AK, StsToken, EcsRamRole, RamRoleArn, ChainableRamRoleArn, OIDC, External, CredentialsURI"

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
      const { name, profile, profiles } = found.value
      searched.add(`${located.cliConfigPath} profile ${JSON.stringify(name)}`)
      return Option.some(yield* fromCliProfile(options, located, name, profile, profiles, []))
    })

/** The credentials one CLI profile gives; `chain` holds the profiles that led here (ChainableRamRoleArn). */
const fromCliProfile = (
  options: ChainOptions,
  located: Located,
  name: string,
  profile: CliProfile,
  profiles: ReadonlyArray<CliProfile>,
  chain: ReadonlyArray<string>
): Effect.Effect<ResolvedCredentials, Chain.StepError> =>
  Effect.gen(function* () {
    const where = `${located.cliConfigPath} profile ${JSON.stringify(name)}`
    const mode = Chain.text(profile.mode) ?? "AK"
    const field = (key: string) => Chain.text(profile[key])
    const need = (key: string) =>
      field(key) === undefined ? Effect.fail(`${where} (mode ${mode}) has no ${key}`) : Effect.succeed(field(key)!)
    const keys = () =>
      Effect.gen(function* () {
        const id = field("access_key_id")
        const secret = field("access_key_secret")
        if (id === undefined || secret === undefined) {
          return yield* Effect.fail(`${where} (mode ${mode}) has no access_key_id/access_key_secret`)
        }
        return make(id, secret, undefined, where)
      })
    const role = (base: ResolvedCredentials, withEndpoint: boolean) =>
      Effect.gen(function* () {
        const roleArn = yield* need("ram_role_arn")
        const found = yield* Temporary.assumeRole(
          stsAt(located, withEndpoint ? field("sts_endpoint") : undefined, field("sts_region")),
          {
            roleArn,
            sessionName: field("ram_session_name"),
            durationSeconds: seconds(profile.expired_seconds),
            externalId: field("external_id"),
            step: `${where} (mode ${mode}) role ${roleArn}`
          },
          plain(base)
        )
        return fromTemporary(found, `${where} (role ${roleArn}, from ${base.source})`)
      })
    switch (mode) {
      case "AK":
        return yield* keys()
      case "StsToken": {
        const base = yield* keys()
        const token = yield* need("sts_token")
        return make(base.accessKeyId, Redacted.value(base.accessKeySecret), token, where)
      }
      case "EcsRamRole":
        return yield* fromRamRole(options, located, yield* need("ram_role_name"), where)
      case "RamRoleArn":
        return yield* role(yield* keys(), true)
      case "ChainableRamRoleArn": {
        const source = yield* need("source_profile")
        if (chain.includes(source) || source === name || chain.length >= 8) {
          return yield* Effect.fail(`${where}: source_profile ${JSON.stringify(source)} loops back`)
        }
        const next = profiles.find((p) => typeof p === "object" && p !== null && p.name === source)
        if (next === undefined) {
          return yield* Effect.fail(`${where}: source_profile ${JSON.stringify(source)} is not in the file`)
        }
        const base = yield* fromCliProfile(options, located, source, next, profiles, [...chain, name])
        return yield* role(base, false)
      }
      case "OIDC": {
        const roleArn = yield* need("ram_role_arn")
        const found = yield* Temporary.assumeRoleWithOidc(stsAt(located, undefined, field("sts_region")), {
          roleArn,
          providerArn: yield* need("oidc_provider_arn"),
          tokenFile: yield* need("oidc_token_file"),
          tokenFileSetting: `${where} oidc_token_file`,
          sessionName: field("ram_session_name"),
          durationSeconds: seconds(profile.duration_seconds) ?? seconds(profile.expired_seconds),
          step: `${where} (mode OIDC) role ${roleArn}`
        })
        return fromTemporary(found, `${where} (OIDC role ${roleArn})`)
      }
      case "External":
        return fromTemporary(yield* Temporary.fromProcess(yield* need("process_command"), where, located.env), where)
      case "CredentialsURI":
        return fromTemporary(
          yield* Temporary.fromCredentialsUri(yield* need("credentials_uri"), where, located.sts),
          where
        )
      default:
        return yield* Effect.fail(
          `${where} uses mode ${mode}, which kubecred does not support (supported: ${supportedModes})`
        )
    }
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
      const get = (key: string) => Chain.nonEmpty(entries.get(key))
      const need = (key: string) =>
        get(key) === undefined ? Effect.fail(`${where} (type ${type}) has no ${key}`) : Effect.succeed(get(key)!)
      const keys = () =>
        Effect.gen(function* () {
          const id = get("access_key_id")
          const secret = get("access_key_secret")
          if (id === undefined || secret === undefined) {
            return yield* Effect.fail(`${where} has no access_key_id/access_key_secret`)
          }
          return make(id, secret, undefined, where)
        })
      switch (type) {
        case "access_key":
          return Option.some(yield* keys())
        case "ecs_ram_role":
          return Option.some(yield* fromRamRole(options, located, yield* need("role_name"), where))
        case "ram_role_arn": {
          const base = yield* keys()
          const roleArn = yield* need("role_arn")
          const found = yield* Temporary.assumeRole(
            located.sts,
            {
              roleArn,
              sessionName: get("role_session_name"),
              policy: get("policy"),
              step: `${where} (type ram_role_arn) role ${roleArn}`
            },
            plain(base)
          )
          return Option.some(fromTemporary(found, `${where} (role ${roleArn})`))
        }
        case "oidc_role_arn": {
          const roleArn = yield* need("role_arn")
          const found = yield* Temporary.assumeRoleWithOidc(located.sts, {
            roleArn,
            providerArn: yield* need("oidc_provider_arn"),
            tokenFile: yield* need("oidc_token_file_path"),
            tokenFileSetting: `${where} oidc_token_file_path`,
            sessionName: get("role_session_name"),
            step: `${where} (type oidc_role_arn) role ${roleArn}`
          })
          return Option.some(fromTemporary(found, `${where} (OIDC role ${roleArn})`))
        }
        case "credentials_uri":
          return Option.some(
            fromTemporary(
              yield* Temporary.fromCredentialsUri(yield* need("credentials_uri"), where, located.sts),
              where
            )
          )
        default:
          return yield* Effect.fail(
            `${where} has type ${type}, which kubecred does not support (supported: access_key, ecs_ram_role, ram_role_arn, oidc_role_arn, credentials_uri)`
          )
      }
    })

// ---------------------------------------------------------------------------------------------------------------

export type ChainError = Chain.ChainError | InvalidInput

/** Runs the chain once (@alicloud/credentials' default order), then assumes `roleArn` with what it found, if given. */
export const resolve = (options: ChainOptions = {}): Effect.Effect<ResolvedCredentials, ChainError> =>
  Effect.suspend(() =>
    Either.match(locate(options), {
      onLeft: (refused): Effect.Effect<ResolvedCredentials, ChainError> => Effect.fail(refused),
      onRight: (located) => {
        const base: Effect.Effect<ResolvedCredentials, ChainError> =
          options.credentials !== undefined
            ? Effect.succeed<ResolvedCredentials>({ ...options.credentials, source: "explicit credentials" })
            : Chain.first(
                "alibaba",
                [
                  fromEnvironment(located.env),
                  fromOidcEnvironment(located),
                  fromCliConfig(options, located),
                  fromCredentialsFile(options, located),
                  fromEcsMetadataEnv(options, located),
                  fromCredentialsUriEnvironment(located)
                ],
                Chain.nonEmpty(options.profile) === undefined
                  ? undefined
                  : `profile ${JSON.stringify(options.profile)} not found`
              )
        const roleArn = Chain.nonEmpty(options.roleArn)
        if (roleArn === undefined) return base
        return Chain.exchange("alibaba", base, `role ${roleArn} (--role-arn)`, (found) =>
          Effect.map(
            Temporary.assumeRole(
              located.sts,
              {
                roleArn,
                sessionName: options.roleSessionName,
                step: `--role-arn ${roleArn} (assumed with ${found.source})`
              },
              plain(found)
            ),
            (assumed) => fromTemporary(assumed, `role ${roleArn} (--role-arn, from ${found.source})`)
          )
        )
      }
    })
  )

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
export const memoized = (options: ChainOptions = {}): Effect.Effect<Effect.Effect<ResolvedCredentials, ChainError>> =>
  Chain.cached(resolve(options))
