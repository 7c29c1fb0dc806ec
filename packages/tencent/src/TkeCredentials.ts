/**
 * The Tencent Cloud credential chain, resolved lazily and held as Redacted:
 * explicit > env TENCENTCLOUD_SECRET_ID / TENCENTCLOUD_SECRET_KEY / TENCENTCLOUD_SESSION_TOKEN >
 * ~/.tencentcloud/credentials (INI `[default]` secret_id / secret_key / token, the SDK's ProfileCredential; when it
 * does not exist, /etc/tencentcloud/credentials, as the SDK falls back) >
 * ~/.tccli/<profile>.credential (JSON secretId / secretKey / token; profile from the caller, TCCLI_PROFILE, `default`) >
 * the CVM instance's CAM role named by TENCENTCLOUD_CAM_ROLE_NAME (the Terraform provider's variable), from the
 * instance metadata service (KUBECRED_CVM_METADATA_ENDPOINT points it elsewhere; the mock cloud serves one).
 * TKE pod identity (OIDC): TKE_ROLE_ARN, TKE_PROVIDER_ID, TKE_WEB_IDENTITY_TOKEN_FILE and TKE_REGION, exchanged with
 * STS AssumeRoleWithWebIdentity (unsigned), the token file read afresh at each exchange: last, as the SDK's
 * DefaultCredentialProvider orders them (env, profile, CVM role, OIDC).
 * Then, when a role is asked for (`roleArn`, or the tccli profile's `role-arn`), the credentials found are
 * exchanged for that role's with STS AssumeRole (TC3-signed). KUBECRED_TKE_STS_ENDPOINT points STS elsewhere.
 * Nothing found, or a file that won't parse, fails with CredentialsMissing naming every place looked at; the STS
 * refusing (a trust policy, an expired token) is AccessDenied or AuthenticationFailed naming the step.
 * A role's credentials expire: they carry `expiresAt`, and the client fetches them again before then.
 *
 * The default region: TENCENTCLOUD_REGION, then ~/.tccli/<profile>.configure `_sys_param.region`.
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
import { DEFAULT_METADATA_ENDPOINT, fetchRoleCredentials } from "./internal/cvmRole.js"
import * as Sts from "./internal/sts.js"
import {
  ENV_CAM_ROLE,
  ENV_METADATA_ENDPOINT,
  ENV_OIDC_ROLE_ARN,
  ENV_OIDC_TOKEN_FILE,
  ENV_PROFILE,
  ENV_REGION,
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SESSION_TOKEN,
  ENV_STS_ENDPOINT,
  oidcVariables
} from "./TkeEnvironment.js"

export { ENV_REGION } from "./TkeEnvironment.js"

export interface TkeCredentials {
  readonly secretId: string
  readonly secretKey: Redacted.Redacted<string>
  /** STS session token (temporary credentials). Sent as X-TC-Token, never signed. */
  readonly token?: Redacted.Redacted<string> | undefined
}

/** Credentials, where they were found (`explicit`, `env`, a file path: safe to print) and when a role's expire. */
export interface ResolvedCredentials extends TkeCredentials, Credentials {}

/** The role and STS options (Chain.StsOptions): KUBECRED_*_STS_ENDPOINT is this provider's variable. */
export interface ChainOptions extends Chain.StsOptions {
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

interface Paths {
  readonly env: Record<string, string | undefined>
  readonly profile: string
  readonly ini: string
  readonly systemIni: string
  readonly tccliCredential: string
  readonly tccliConfigure: string
}

const pathsOf = (options: ChainOptions, profile: string): Paths => {
  const env = options.env ?? process.env
  const home = options.home ?? env.HOME ?? homedir()
  return {
    env,
    profile,
    ini: join(home, ".tencentcloud", "credentials"),
    systemIni: options.systemCredentials ?? "/etc/tencentcloud/credentials",
    tccliCredential: join(home, ".tccli", `${profile}.credential`),
    tccliConfigure: join(home, ".tccli", `${profile}.configure`)
  }
}

/** The profile in effect (the option, TCCLI_PROFILE, `default`), refused when it is not a plain name. */
const profileOf = (options: ChainOptions): Either.Either<string, InvalidInput> =>
  Chain.checkProfile(
    Chain.nonEmpty(options.profile) ?? Chain.nonEmpty((options.env ?? process.env)[ENV_PROFILE]) ?? "default"
  )

const make = (source: string, secretId: string, secretKey: string, token: string | undefined): ResolvedCredentials => ({
  source,
  secretId,
  secretKey: Redacted.make(secretKey),
  token: token ? Redacted.make(token) : undefined
})

type Found = Effect.Effect<Option.Option<ResolvedCredentials>, string>

/** Both halves, or neither; half a key pair is an error, not a reason to look elsewhere. */
const pair = (
  where: string,
  names: { readonly id: string; readonly secret: string },
  id: string | undefined,
  key: string | undefined,
  token: string | undefined
): Found =>
  Either.match(Chain.keyPair(where, names, id, key), {
    onLeft: Effect.fail,
    onRight: (found) => Effect.succeed(Option.map(found, (p) => make(where, p.id, p.secret, token)))
  })

const fromEnv = (paths: Paths): Chain.Step<ResolvedCredentials> =>
  Chain.at(
    `env ${ENV_SECRET_ID}/${ENV_SECRET_KEY}`,
    pair(
      "env",
      { id: ENV_SECRET_ID, secret: ENV_SECRET_KEY },
      Chain.nonEmpty(paths.env[ENV_SECRET_ID]),
      Chain.nonEmpty(paths.env[ENV_SECRET_KEY]),
      Chain.nonEmpty(paths.env[ENV_SESSION_TOKEN])
    )
  )

const iniCredentials = (path: string, sections: Chain.IniSections): Found => {
  const section = sections.get("default")
  if (section === undefined) return Effect.succeed(Option.none())
  return pair(
    path,
    { id: "secret_id", secret: "secret_key" },
    Chain.nonEmpty(section.get("secret_id")),
    Chain.nonEmpty(section.get("secret_key")),
    Chain.nonEmpty(section.get("token"))
  )
}

/** ~/.tencentcloud/credentials, else (only when that file does not exist) the system-wide one. */
const fromIni =
  (paths: Paths): Chain.Step<ResolvedCredentials> =>
  (searched) =>
    Effect.suspend(() => {
      searched.add(paths.ini)
      searched.add(paths.systemIni)
      return Effect.flatMap(Chain.readIni(paths.ini), (home) =>
        Option.match(home, {
          onSome: (sections) => iniCredentials(paths.ini, sections),
          onNone: () =>
            Effect.flatMap(
              Chain.readIni(paths.systemIni),
              Option.match({
                onNone: () => Effect.succeed(Option.none()),
                onSome: (sections) => iniCredentials(paths.systemIni, sections)
              })
            )
        })
      )
    })

const fromTccli = (paths: Paths): Chain.Step<ResolvedCredentials> =>
  Chain.at(
    paths.tccliCredential,
    Effect.flatMap(Chain.readJsonObject(paths.tccliCredential), (found) => {
      if (Option.isNone(found)) return Effect.succeed(Option.none())
      const json = found.value
      const id = Chain.text(json.secretId)
      const key = Chain.text(json.secretKey)
      if (!id && !key && json.type !== undefined) {
        return Effect.fail(`${paths.tccliCredential}: credential type ${JSON.stringify(json.type)} is not supported`)
      }
      return pair(paths.tccliCredential, { id: "secretId", secret: "secretKey" }, id, key, Chain.text(json.token))
    })
  )

/** The role a tccli profile assumes (`role-arn`, `role-session-name`, which tccli's `configure` writes), if any. */
const tccliRole = (paths: Paths): Effect.Effect<Option.Option<{ arn: string; sessionName?: string | undefined }>> =>
  Chain.readJsonObject(paths.tccliCredential).pipe(
    Effect.map(
      Option.flatMap((json) => {
        const arn = Chain.text(json["role-arn"])
        return arn === undefined
          ? Option.none()
          : Option.some({ arn, sessionName: Chain.text(json["role-session-name"]) })
      })
    ),
    Effect.orElseSucceed(() => Option.none())
  )

const stsTarget = (paths: Paths, options: ChainOptions): Sts.StsTarget => ({
  endpoint:
    Chain.nonEmpty(options.stsEndpoint) ?? Chain.nonEmpty(paths.env[ENV_STS_ENDPOINT]) ?? Sts.DEFAULT_STS_ENDPOINT,
  ca: options.stsCa,
  env: paths.env
})

const fromStsAnswer = (source: string, answer: Sts.StsCredentials): ResolvedCredentials => ({
  ...make(source, answer.secretId, answer.secretKey, answer.token),
  expiresAt: answer.expiresAt
})

/** TKE pod identity: the four TKE_* variables, the token exchanged with AssumeRoleWithWebIdentity (unsigned). */
const fromOidc =
  (paths: Paths, options: ChainOptions): Chain.Step<ResolvedCredentials> =>
  (searched) =>
    Effect.gen(function* () {
      const values = oidcVariables.map((name) => Chain.nonEmpty(paths.env[name]))
      if (values.every((value) => value === undefined)) return Option.none()
      searched.add(`TKE pod identity (${ENV_OIDC_ROLE_ARN}, ${ENV_OIDC_TOKEN_FILE})`)
      const unset = oidcVariables.filter((_, i) => values[i] === undefined)
      if (unset.length > 0) {
        const set = oidcVariables.filter((_, i) => values[i] !== undefined)
        return yield* Effect.fail(`TKE pod identity: ${set.join(", ")} set but ${unset.join(", ")} not`)
      }
      const [roleArn, providerId, tokenFile, region] = values as Array<string>
      const token = yield* Chain.readToken(ENV_OIDC_TOKEN_FILE, tokenFile!)
      const sessionName = yield* Chain.sessionName(options.roleSessionName, "kubecred")
      const answer = yield* Sts.call(stsTarget(paths, options), {
        action: "AssumeRoleWithWebIdentity",
        region: region!,
        params: { RoleArn: roleArn!, RoleSessionName: sessionName, WebIdentityToken: token, ProviderId: providerId! },
        step: `${ENV_OIDC_ROLE_ARN} (TKE pod identity, ${ENV_OIDC_TOKEN_FILE})`
      })
      return Option.some(fromStsAnswer(`TKE pod identity ${roleArn} (${ENV_OIDC_ROLE_ARN})`, answer))
    })

/** The found credentials exchanged for `role`'s with AssumeRole, signed with them. */
const assumeRole = (
  paths: Paths,
  options: ChainOptions,
  role: { readonly arn: string; readonly sessionName?: string | undefined; readonly via: string },
  base: ResolvedCredentials
): Effect.Effect<ResolvedCredentials, Chain.StepError> =>
  Effect.gen(function* () {
    const sessionName = yield* Chain.sessionName(role.sessionName, "kubecred")
    const answer = yield* Sts.call(stsTarget(paths, options), {
      action: "AssumeRole",
      region: Chain.nonEmpty(paths.env[ENV_REGION]) ?? Sts.DEFAULT_STS_REGION,
      params: { RoleArn: role.arn, RoleSessionName: sessionName },
      signWith: {
        secretId: base.secretId,
        secretKey: Redacted.value(base.secretKey),
        token: base.token === undefined ? undefined : Redacted.value(base.token)
      },
      step: `${role.via} ${role.arn} (assumed with ${base.source})`
    })
    const expiresAt =
      base.expiresAt !== undefined && base.expiresAt < answer.expiresAt ? base.expiresAt : answer.expiresAt
    return { ...fromStsAnswer(`role ${role.arn} (${role.via}, from ${base.source})`, answer), expiresAt }
  })

const fromCvmRole =
  (paths: Paths, options: ChainOptions): Chain.Step<ResolvedCredentials> =>
  (searched) =>
    Effect.suspend(() => {
      const role = Chain.nonEmpty(paths.env[ENV_CAM_ROLE])
      if (role === undefined) return Effect.succeed(Option.none())
      searched.add(`CVM CAM role ${role}`)
      const endpoint =
        Chain.nonEmpty(options.metadataEndpoint) ??
        Chain.nonEmpty(paths.env[ENV_METADATA_ENDPOINT]) ??
        DEFAULT_METADATA_ENDPOINT
      return fetchRoleCredentials({ endpoint, role }).pipe(
        Effect.map((fetched) =>
          Option.some({
            ...make(`CVM CAM role ${role} (${ENV_CAM_ROLE})`, fetched.secretId, fetched.secretKey, fetched.token),
            expiresAt: fetched.expiresAt
          })
        ),
        Effect.mapError((reason) => `${ENV_CAM_ROLE}: ${reason}`)
      )
    })

const explicitStep = (explicit: TkeCredentials): Chain.Step<ResolvedCredentials> =>
  Chain.at(
    "explicit credentials",
    Chain.nonEmpty(explicit.secretId) && Chain.nonEmpty(Redacted.value(explicit.secretKey))
      ? Effect.succeed(Option.some<ResolvedCredentials>({ ...explicit, source: "explicit" }))
      : Effect.fail("the explicit credentials have an empty secretId or secretKey")
  )

export type ChainError = Chain.ChainError | InvalidInput

/** The sources, in order (the SDK's DefaultCredentialProvider's, with tccli's file after its INI one). */
const steps = (paths: Paths, options: ChainOptions): ReadonlyArray<Chain.Step<ResolvedCredentials>> =>
  options.credentials !== undefined
    ? [explicitStep(options.credentials)]
    : [fromEnv(paths), fromIni(paths), fromTccli(paths), fromCvmRole(paths, options), fromOidc(paths, options)]

/** Walks the chain once, then assumes the role asked for (`roleArn`, else the tccli profile's), if any. */
export const resolve = (options: ChainOptions = {}): Effect.Effect<ResolvedCredentials, ChainError> =>
  Effect.suspend(() =>
    Either.match(profileOf(options), {
      onLeft: (refused): Effect.Effect<ResolvedCredentials, ChainError> => Effect.fail(refused),
      onRight: (profile) => {
        const paths = pathsOf(options, profile)
        const base = Chain.first("tencent", steps(paths, options))
        const asked = Chain.nonEmpty(options.roleArn)
        const role: Effect.Effect<Option.Option<{ arn: string; sessionName?: string | undefined; via: string }>> =
          asked !== undefined
            ? Effect.succeed(Option.some({ arn: asked, sessionName: options.roleSessionName, via: "--role-arn" }))
            : options.credentials !== undefined
              ? Effect.succeed(Option.none())
              : Effect.map(
                  tccliRole(paths),
                  Option.map((r) => ({
                    arn: r.arn,
                    sessionName: options.roleSessionName ?? r.sessionName,
                    via: `${paths.tccliCredential} role-arn`
                  }))
                )
        return Effect.flatMap(
          role,
          Option.match({
            onNone: () => base,
            onSome: (r) =>
              Chain.exchange("tencent", base, `role ${r.arn} (${r.via})`, (found) =>
                // a tccli profile's role is assumed with that profile's own keys only
                asked === undefined && found.source !== paths.tccliCredential
                  ? Effect.succeed(found)
                  : assumeRole(paths, options, r, found)
              )
          })
        )
      }
    })
  )

/** TENCENTCLOUD_REGION, then `_sys_param.region` of ~/.tccli/<profile>.configure; an unreadable file counts as none. */
export const defaultRegion = (options: ChainOptions = {}): Effect.Effect<Option.Option<string>> =>
  Effect.suspend(() => {
    const env = options.env ?? process.env
    const fromEnv = Chain.nonEmpty(env[ENV_REGION])
    if (fromEnv) return Effect.succeed(Option.some(fromEnv))
    const profile = profileOf(options)
    if (Either.isLeft(profile)) return Effect.succeed(Option.none())
    const paths = pathsOf(options, profile.right)
    return Chain.readJsonObject(paths.tccliConfigure).pipe(
      Effect.map((json) => {
        const sys = Option.getOrUndefined(json)?._sys_param
        return Option.fromNullable(
          typeof sys === "object" && sys !== null ? Chain.text((sys as Record<string, unknown>).region) : undefined
        )
      }),
      Effect.catchAll((why) => Effect.as(Effect.logWarning(`ignoring tccli configure: ${why}`), Option.none()))
    )
  })
