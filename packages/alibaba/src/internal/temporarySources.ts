/**
 * The Alibaba chain's sources of temporary credentials besides the instance role, each as @alicloud/credentials
 * 2.4.7 implements it (`providers/oidc_role_arn.js`, `ram_role_arn.js`, `uri.js`, `external.js`):
 *
 * - an OIDC token file (RRSA) exchanged with STS AssumeRoleWithOIDC, unsigned, the file read at each exchange;
 * - a role assumed with STS AssumeRole, signed with the credentials found before;
 * - a credentials URI answering `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}`;
 * - an external process printing `{mode, access_key_id, access_key_secret, sts_token?, expiration?}` (the aliyun
 *   CLI's `External` mode).
 *
 * Each fails with a reason naming its step, or the STS's refusal decided into the taxonomy (internal/sts.ts).
 */
import * as Chain from "@kubecred/core/CredentialChain"
import * as ServiceRequest from "@kubecred/http-proxy/ServiceRequest"
import * as Effect from "effect/Effect"
import { execFile } from "node:child_process"
import * as Sts from "./sts.js"

export interface Temporary {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken?: string | undefined
  readonly expiresAt?: Date | undefined
}

export interface OidcExchange {
  readonly roleArn: string
  readonly providerArn: string
  readonly tokenFile: string
  /** The variable or file key that named the token file, for the messages. */
  readonly tokenFileSetting: string
  readonly sessionName?: string | undefined
  readonly durationSeconds?: number | undefined
  readonly step: string
}

export const assumeRoleWithOidc = (
  target: Sts.StsTarget,
  exchange: OidcExchange
): Effect.Effect<Temporary, Chain.StepError> =>
  Effect.gen(function* () {
    const token = yield* Chain.readToken(exchange.tokenFileSetting, exchange.tokenFile)
    const sessionName = yield* Chain.sessionName(exchange.sessionName, "kubecred")
    return yield* Sts.call(target, {
      action: "AssumeRoleWithOIDC",
      params: {
        OIDCProviderArn: exchange.providerArn,
        OIDCToken: token,
        RoleArn: exchange.roleArn,
        RoleSessionName: sessionName,
        DurationSeconds: String(exchange.durationSeconds ?? Sts.DEFAULT_DURATION_SECONDS)
      },
      step: exchange.step
    })
  })

export interface RoleExchange {
  readonly roleArn: string
  readonly sessionName?: string | undefined
  readonly durationSeconds?: number | undefined
  readonly policy?: string | undefined
  readonly externalId?: string | undefined
  readonly step: string
}

/** `base` exchanged for the role's credentials; they expire no later than `base` does. */
export const assumeRole = (
  target: Sts.StsTarget,
  role: RoleExchange,
  base: Temporary
): Effect.Effect<Temporary, Chain.StepError> =>
  Effect.gen(function* () {
    const sessionName = yield* Chain.sessionName(role.sessionName, "kubecred")
    const answer = yield* Sts.call(target, {
      action: "AssumeRole",
      params: {
        RoleArn: role.roleArn,
        ...(role.policy === undefined ? {} : { Policy: role.policy }),
        ...(role.externalId === undefined ? {} : { ExternalId: role.externalId }),
        RoleSessionName: sessionName,
        DurationSeconds: String(role.durationSeconds ?? Sts.DEFAULT_DURATION_SECONDS)
      },
      signWith: base,
      step: role.step
    })
    const expiresAt =
      base.expiresAt !== undefined && base.expiresAt < answer.expiresAt ? base.expiresAt : answer.expiresAt
    return { ...answer, expiresAt }
  })

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)

/** GET the URI; the answer names temporary credentials. */
export const fromCredentialsUri = (
  uri: string,
  setting: string,
  options: { readonly env: Record<string, string | undefined>; readonly ca?: string | undefined }
): Effect.Effect<Temporary, string> =>
  Effect.gen(function* () {
    const host = URL.canParse(uri) ? new URL(uri).host : undefined
    if (host === undefined) return yield* Effect.fail(`${setting} is not a URL`)
    const where = `${setting} (${host})`
    const reply = yield* ServiceRequest.send(uri, { method: "GET", env: options.env, ca: options.ca }).pipe(
      Effect.mapError((reason) => `${where}: ${reason}`)
    )
    if (reply.status !== 200) return yield* Effect.fail(`${where} answered HTTP ${reply.status}`)
    let json: Record<string, unknown>
    try {
      json = JSON.parse(reply.text) as Record<string, unknown>
    } catch {
      return yield* Effect.fail(`${where}: the answer is not JSON`)
    }
    const accessKeyId = str(json.AccessKeyId)
    const accessKeySecret = str(json.AccessKeySecret)
    const securityToken = str(json.SecurityToken)
    const expiration = str(json.Expiration)
    const expiresAt = expiration === undefined ? undefined : new Date(expiration)
    if (accessKeyId === undefined || accessKeySecret === undefined || securityToken === undefined) {
      return yield* Effect.fail(`${where}: the answer holds no AccessKeyId/AccessKeySecret/SecurityToken`)
    }
    if (expiresAt !== undefined && Number.isNaN(expiresAt.getTime())) {
      return yield* Effect.fail(`${where}: the answer's Expiration is not a date`)
    }
    return { accessKeyId, accessKeySecret, securityToken, expiresAt }
  })

/**
 * A command line split as the official provider splits `process_command`: on blanks, with double or single
 * quotes grouping; no shell runs it.
 */
export const splitCommand = (command: string): ReadonlyArray<string> => {
  const args: Array<string> = []
  let current = ""
  let quote: string | undefined
  let started = false
  for (const c of command) {
    if (quote !== undefined) {
      if (c === quote) quote = undefined
      else current += c
    } else if (c === '"' || c === "'") {
      quote = c
      started = true
    } else if (/\s/.test(c)) {
      if (started || current !== "") args.push(current)
      current = ""
      started = false
    } else {
      current += c
    }
  }
  if (started || current !== "") args.push(current)
  return args
}

/** Runs the command (no shell, a minute at most) and reads the credentials it prints. */
export const fromProcess = (
  command: string,
  where: string,
  env: Record<string, string | undefined>
): Effect.Effect<Temporary, string> =>
  Effect.gen(function* () {
    const args = splitCommand(command)
    if (args.length === 0) return yield* Effect.fail(`${where}: process_command is empty`)
    const stdout = yield* Effect.async<string, string>((resume, signal) => {
      execFile(
        args[0]!,
        args.slice(1),
        { timeout: 60_000, env: env as NodeJS.ProcessEnv, signal, maxBuffer: 1 << 20 },
        (error, out) => {
          // the command's own output may hold secrets: only its exit status or errno is said
          if (error) {
            const code: unknown = (error as { code?: unknown }).code
            const why = typeof code === "number" ? `exit ${code}` : typeof code === "string" ? code : "killed"
            resume(Effect.fail(`${where}: ${args[0]} failed (${why})`))
          } else resume(Effect.succeed(out))
        }
      )
    })
    let json: Record<string, unknown>
    try {
      json = JSON.parse(stdout) as Record<string, unknown>
    } catch {
      return yield* Effect.fail(`${where}: ${args[0]} printed something that is not JSON`)
    }
    const accessKeyId = str(json.access_key_id)
    const accessKeySecret = str(json.access_key_secret)
    const securityToken = str(json.sts_token)
    if (accessKeyId === undefined || accessKeySecret === undefined) {
      return yield* Effect.fail(`${where}: ${args[0]} printed no access_key_id/access_key_secret`)
    }
    if (json.mode === "StsToken" && securityToken === undefined) {
      return yield* Effect.fail(`${where}: ${args[0]} printed mode StsToken without sts_token`)
    }
    const expiration = str(json.expiration)
    const expiresAt = expiration === undefined ? undefined : new Date(expiration)
    return {
      accessKeyId,
      accessKeySecret,
      securityToken: json.mode === "StsToken" ? securityToken : undefined,
      expiresAt: expiresAt !== undefined && !Number.isNaN(expiresAt.getTime()) ? expiresAt : undefined
    }
  })
