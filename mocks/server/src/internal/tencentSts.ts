/**
 * Tencent Cloud STS (`sts`, 2018-08-13) on the cloud port: `AssumeRole` (TC3-signed, by a principal the role's
 * trust policy names) and `AssumeRoleWithWebIdentity` (unsigned, `Authorization: SKIP`, by an OIDC token of a
 * provider the role trusts). Codes and limits: docs/mock-sts.md.
 */
import { Effect } from "effect"
import { ControlState } from "./controlState.js"
import { OidcIssuer } from "./oidcIssuer.js"
import type { RequestFacts } from "./reply.js"
import { type Session, StsDirectory, type StsRole } from "./stsDirectory.js"
import { authenticate, envelope, errorEnvelope, onlyKnown, readParams, TkeError } from "./tencentApi.js"

export const ACTIONS = ["AssumeRole", "AssumeRoleWithWebIdentity"] as const
export const VERSION = "2018-08-13"
const DEFAULT_DURATION = 7200
const MAX_DURATION = 43200
const SESSION_NAME = /^[\w+=,.@-]{2,128}$/
/** AssumeRole's documented default limit, per key (TKE's 20/s does not apply to the STS). */
const RATE_LIMIT = 600

/** A Tencent STS request: `/`, an STS action in X-TC-Action. */
export const isStsRequest = (facts: RequestFacts): boolean =>
  facts.path === "/" && (ACTIONS as ReadonlyArray<string | undefined>).includes(facts.headers["x-tc-action"])

const fail = (code: string, message: string) => Effect.fail(new TkeError(code, message))

const required = (params: Record<string, unknown>, name: string) => {
  const value = params[name]
  if (value === undefined || value === "")
    return fail("InvalidParameter.ParamError", `The parameter \`${name}\` is required.`)
  if (typeof value !== "string")
    return fail("InvalidParameter.ParamError", `The parameter \`${name}\` must be a string.`)
  return Effect.succeed(value)
}

const sessionName = (params: Record<string, unknown>) =>
  Effect.flatMap(required(params, "RoleSessionName"), (name) =>
    SESSION_NAME.test(name)
      ? Effect.succeed(name)
      : fail(
          "InvalidParameter.ParamError",
          "RoleSessionName must be 2 to 128 characters of letters, digits and =,.@_-."
        )
  )

const duration = (params: Record<string, unknown>, role: StsRole) => {
  const raw = params.DurationSeconds
  const max = Math.min(MAX_DURATION, role.maxSessionDurationSeconds)
  // Omitted: the documented default, cut to what the role grants.
  const value =
    raw === undefined
      ? Math.min(DEFAULT_DURATION, max)
      : typeof raw === "string" && /^\d+$/.test(raw)
        ? Number(raw)
        : raw
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    return fail("InvalidParameter.OverTimeError", `DurationSeconds must be between 1 and ${max} for this role.`)
  }
  return Effect.succeed(value)
}

const findRole = (arn: string) =>
  Effect.flatMap(StsDirectory, (directory) => {
    const role = directory.findRole("tencent", arn)
    return role === undefined
      ? fail("ResourceNotFound.RoleNotFound", `The role \`${arn}\` does not exist.`)
      : Effect.succeed(role)
  })

const issue = (role: StsRole, params: Record<string, unknown>) =>
  Effect.gen(function* () {
    const seconds = yield* duration(params, role)
    const directory = yield* StsDirectory
    const now = yield* (yield* ControlState).now
    return directory.issue("tencent", role, seconds, now)
  })

const credentialsView = ({ identity, expiresAt }: Session) => ({
  Credentials: { Token: identity.token, TmpSecretId: identity.keyId, TmpSecretKey: identity.secret },
  ExpiredTime: Math.floor(expiresAt / 1000),
  Expiration: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z")
})

const assumeRole = (facts: RequestFacts) =>
  Effect.gen(function* () {
    const caller = yield* authenticate(facts, "AssumeRole", RATE_LIMIT)
    const params = yield* readParams(facts)
    yield* onlyKnown(params, [
      "RoleArn",
      "RoleSessionName",
      "DurationSeconds",
      "Policy",
      "ExternalId",
      "Tags",
      "SourceIdentity"
    ])
    const role = yield* findRole(yield* required(params, "RoleArn"))
    yield* sessionName(params)
    const directory = yield* StsDirectory
    if (!directory.trustsPrincipal(role, caller.principal)) {
      return yield* fail(
        "UnauthorizedOperation",
        `The trust policy of \`${role.arn}\` does not allow this caller to assume it.`
      )
    }
    return credentialsView(yield* issue(role, params))
  })

const assumeRoleWithWebIdentity = (facts: RequestFacts) =>
  Effect.gen(function* () {
    if (facts.headers.authorization !== "SKIP") {
      return yield* fail(
        "AuthFailure.InvalidAuthorization",
        "AssumeRoleWithWebIdentity is not signed: send Authorization: SKIP."
      )
    }
    const params = yield* readParams(facts)
    yield* onlyKnown(params, ["ProviderId", "WebIdentityToken", "RoleArn", "RoleSessionName", "DurationSeconds"])
    const providerId = yield* required(params, "ProviderId")
    const webIdentityToken = yield* required(params, "WebIdentityToken")
    const role = yield* findRole(yield* required(params, "RoleArn"))
    yield* sessionName(params)
    const directory = yield* StsDirectory
    const oidcProvider = directory.findOidcProvider("tencent", providerId)
    if (oidcProvider === undefined) {
      return yield* fail("InvalidParameter.ParamError", `The identity provider \`${providerId}\` does not exist.`)
    }
    const issuer = yield* OidcIssuer
    const now = yield* (yield* ControlState).now
    const verified = yield* issuer
      .verify(webIdentityToken, { issuer: oidcProvider.issuer, audiences: oidcProvider.audiences, nowMs: now })
      .pipe(Effect.mapError((refused) => new TkeError("InvalidParameter.WebIdentityTokenError", refused.message)))
    if (!directory.trustsToken(role, oidcProvider, verified.subject)) {
      return yield* fail(
        "UnauthorizedOperation",
        `The trust policy of \`${role.arn}\` does not allow this identity provider and subject to assume it.`
      )
    }
    return credentialsView(yield* issue(role, params))
  })

/** Answers one Tencent STS request (always HTTP 200, the TKE-style envelope). */
export const handle = (facts: RequestFacts) =>
  Effect.gen(function* () {
    if (facts.headers["x-tc-version"] !== VERSION) {
      return yield* fail(
        "NoSuchVersion",
        `The requested version \`${facts.headers["x-tc-version"] ?? ""}\` does not exist.`
      )
    }
    const response =
      facts.headers["x-tc-action"] === "AssumeRole" ? yield* assumeRole(facts) : yield* assumeRoleWithWebIdentity(facts)
    return envelope(facts, response)
  }).pipe(
    Effect.catchIf(
      (e): e is TkeError => e instanceof TkeError,
      (e) => Effect.succeed(errorEnvelope(facts, e.code, e.message))
    )
  )
