/**
 * Alibaba Cloud STS (`Sts`, 2015-04-01, RPC style) on the cloud port: `AssumeRole` (signed the RPC way,
 * HMAC-SHA1 over the sorted query and form parameters, by a principal the role's trust policy names) and
 * `AssumeRoleWithOIDC` (unsigned, by an OIDC token of a provider the role trusts). Codes: docs/mock-sts.md.
 */
import { Effect } from "effect"
import { createHmac, timingSafeEqual } from "node:crypto"
import { rfc3986 } from "./acs3.js"
import { AckError, checkToken } from "./alibabaApi.js"
import { alibabaError } from "./alibabaErrors.js"
import { ControlState } from "./controlState.js"
import { Credentials } from "./credentials.js"
import { ackRequestId } from "./ids.js"
import { NonceCache } from "./nonceCache.js"
import { OidcIssuer, type TokenProblem } from "./oidcIssuer.js"
import { json, type RequestFacts } from "./reply.js"
import { type Session, StsDirectory, type StsRole } from "./stsDirectory.js"

export const ACTIONS = ["AssumeRole", "AssumeRoleWithOIDC"] as const
export const VERSION = "2015-04-01"
const SKEW_MS = 15 * 60 * 1000
const DEFAULT_DURATION = 3600
const MIN_DURATION = 900
const SESSION_NAME = /^[A-Za-z0-9.@_-]{2,64}$/

/** Statuses of the STS codes the mock answers; gateway codes keep alibabaErrors' statuses. */
const STATUS: Record<string, number> = {
  "EntityNotExist.Role": 404,
  NoPermission: 403,
  "AuthenticationFail.NoPermission": 401,
  "AuthenticationFail.OIDCToken.Invalid": 401,
  "AuthenticationFail.OIDCToken.Expired": 401,
  "AuthenticationFail.OIDCToken.AudienceNotMatch": 401,
  "AuthenticationFail.OIDCToken.InvalidSignature": 401
}

const fail = (code: string, message?: string) => Effect.fail(new AckError(code, message))

/** The query of a request, decoded. */
const queryOf = (facts: RequestFacts) => new URLSearchParams(facts.rawQuery)

/** An Alibaba STS request: `/` with `Version=2015-04-01` in the query. */
export const isStsRequest = (facts: RequestFacts): boolean =>
  facts.path === "/" && queryOf(facts).get("Version") === VERSION

export const actionOf = (facts: RequestFacts): string => queryOf(facts).get("Action") ?? "unknown"

/** Every parameter, query then form body (later wins), as the signature covers them. */
const parameters = (facts: RequestFacts): Map<string, string> => {
  const all = new Map<string, string>(queryOf(facts))
  const type = facts.headers["content-type"] ?? ""
  if (facts.body.length > 0 && type.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(Buffer.from(facts.body).toString("utf8"))) all.set(key, value)
  }
  return all
}

/** `METHOD&%2F&` + the encoded, sorted `k=v&...` of every parameter but Signature. */
export const stringToSign = (method: string, params: ReadonlyMap<string, string>): string => {
  const pairs = [...params]
    .filter(([key]) => key !== "Signature")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${rfc3986(key)}=${rfc3986(value)}`)
  return `${method}&${rfc3986("/")}&${rfc3986(pairs.join("&"))}`
}

export const signature = (secret: string, text: string): string =>
  createHmac("sha1", `${secret}&`).update(text, "utf8").digest("base64")

const authenticate = (facts: RequestFacts, params: ReadonlyMap<string, string>) =>
  Effect.gen(function* () {
    const control = yield* ControlState
    const now = yield* control.now
    const given = params.get("Signature")
    const keyId = params.get("AccessKeyId")
    if (keyId === undefined || keyId === "")
      return yield* fail("MissingAccessKeyId", "AccessKeyId is mandatory for this action.")
    if (given === undefined || given === "")
      return yield* fail("IncompleteSignature", "Signature is mandatory for this action.")
    if (params.get("SignatureMethod") !== "HMAC-SHA1" || params.get("SignatureVersion") !== "1.0") {
      return yield* fail("IncompleteSignature", "SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.")
    }
    const timestamp = params.get("Timestamp") ?? ""
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(timestamp) || Number.isNaN(Date.parse(timestamp))) {
      return yield* fail("InvalidTimeStamp.Format")
    }
    if (Math.abs(now - Date.parse(timestamp)) > SKEW_MS) return yield* fail("InvalidTimeStamp.Expired")
    const nonce = params.get("SignatureNonce")
    if (nonce === undefined || nonce === "")
      return yield* fail("MissingSignatureNonce", "SignatureNonce is mandatory for this action.")
    const identity = (yield* Credentials).findAlibaba(keyId)
    if (!identity) return yield* fail("InvalidAccessKeyId.NotFound")
    yield* checkToken(params.get("SecurityToken"), identity, now)
    const text = stringToSign(facts.method, params)
    const expected = Buffer.from(signature(identity.secret, text))
    const actual = Buffer.from(given)
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
      // The real STS echoes its string to sign; the mock does too, unless it carries a security token.
      return yield* fail(
        "SignatureDoesNotMatch",
        params.has("SecurityToken")
          ? "Specified signature is not matched with our calculation."
          : `Specified signature is not matched with our calculation. server string to sign is:${text}`
      )
    }
    if (!(yield* (yield* NonceCache).claim(`sts/${nonce}`))) return yield* fail("SignatureNonceUsed")
    return identity
  })

const requiredParam = (params: ReadonlyMap<string, string>, name: string) => {
  const value = params.get(name)
  return value === undefined || value === ""
    ? fail(`Missing${name}`, `${name} is mandatory for this action.`)
    : Effect.succeed(value)
}

const findRole = (arn: string) =>
  Effect.flatMap(StsDirectory, (directory) => {
    if (!/^acs:ram::\d+:role\/[^/]+$/i.test(arn))
      return fail("InvalidParameter.RoleArn", "The parameter RoleArn is wrongly formed.")
    const role = directory.findRole("alibaba", arn)
    return role === undefined ? fail("EntityNotExist.Role", "The specified Role not exists.") : Effect.succeed(role)
  })

const checkSessionName = (name: string) =>
  SESSION_NAME.test(name)
    ? Effect.succeed(name)
    : fail("InvalidParameter.RoleSessionName", "The parameter RoleSessionName is wrongly formed.")

const issue = (role: StsRole, params: ReadonlyMap<string, string>) =>
  Effect.gen(function* () {
    const raw = params.get("DurationSeconds")
    const seconds = raw === undefined ? DEFAULT_DURATION : /^\d+$/.test(raw) ? Number(raw) : Number.NaN
    const max = role.maxSessionDurationSeconds
    if (!(seconds >= MIN_DURATION && seconds <= max)) {
      return yield* fail(
        "InvalidParameter.DurationSeconds",
        `The Min/Max value of DurationSeconds is 15min/${max / 3600}hr.`
      )
    }
    const now = yield* (yield* ControlState).now
    return (yield* StsDirectory).issue("alibaba", role, seconds, now)
  })

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

const assumed = (role: StsRole, name: string, { identity, expiresAt }: Session) => ({
  AssumedRoleUser: { AssumedRoleId: `${role.roleId}:${name}`, Arn: `${role.arn}/${name}` },
  Credentials: {
    SecurityToken: identity.token,
    AccessKeyId: identity.keyId,
    AccessKeySecret: identity.secret,
    Expiration: iso(expiresAt)
  }
})

const assumeRole = (facts: RequestFacts, params: ReadonlyMap<string, string>) =>
  Effect.gen(function* () {
    const caller = yield* authenticate(facts, params)
    const role = yield* findRole(yield* requiredParam(params, "RoleArn"))
    const name = yield* checkSessionName(yield* requiredParam(params, "RoleSessionName"))
    if (!(yield* StsDirectory).trustsPrincipal(role, caller.principal)) {
      return yield* fail(
        "NoPermission",
        "You are not authorized to do this action. You should be authorized by RAM. (the role's trust policy does not name this caller)"
      )
    }
    return assumed(role, name, yield* issue(role, params))
  })

const OIDC_CODES: Record<TokenProblem, string> = {
  malformed: "AuthenticationFail.OIDCToken.Invalid",
  subject: "AuthenticationFail.OIDCToken.Invalid",
  issuer: "AuthenticationFail.OIDCToken.Invalid",
  notYetValid: "AuthenticationFail.OIDCToken.Invalid",
  expired: "AuthenticationFail.OIDCToken.Expired",
  audience: "AuthenticationFail.OIDCToken.AudienceNotMatch",
  signature: "AuthenticationFail.OIDCToken.InvalidSignature"
}

const assumeRoleWithOidc = (params: ReadonlyMap<string, string>) =>
  Effect.gen(function* () {
    const providerArn = yield* requiredParam(params, "OIDCProviderArn")
    const role = yield* findRole(yield* requiredParam(params, "RoleArn"))
    const token = yield* requiredParam(params, "OIDCToken")
    if (token.length < 4 || token.length > 20000) {
      return yield* fail("AuthenticationFail.OIDCToken.Invalid", "The OIDCToken must be 4 to 20000 characters.")
    }
    const name = yield* checkSessionName(params.get("RoleSessionName") ?? `oidc-${Date.now()}`)
    const directory = yield* StsDirectory
    const oidcProvider = directory.findOidcProvider("alibaba", providerArn)
    if (oidcProvider === undefined)
      return yield* fail("AuthenticationFail.NoPermission", "No such OIDC Provider registered.")
    const now = yield* (yield* ControlState).now
    const verified = yield* (yield* OidcIssuer)
      .verify(token, { issuer: oidcProvider.issuer, audiences: oidcProvider.audiences, nowMs: now })
      .pipe(Effect.mapError((refused) => new AckError(OIDC_CODES[refused.problem], refused.message)))
    if (!directory.trustsToken(role, oidcProvider, verified.subject)) {
      return yield* fail("AuthenticationFail.NoPermission", "There is no permission")
    }
    const session = yield* issue(role, params)
    return {
      ...assumed(role, name, session),
      OIDCTokenInfo: {
        Subject: verified.subject,
        Issuer: verified.issuer,
        ClientIds: verified.audiences.join(","),
        IssuanceTime: iso(verified.issuedAt * 1000),
        ExpirationTime: iso(verified.expiresAt * 1000)
      }
    }
  })

/** Answers one Alibaba STS request: 200 with the bare JSON body, or an RPC error. */
export const handle = (facts: RequestFacts) =>
  Effect.gen(function* () {
    const params = parameters(facts)
    const action = params.get("Action")
    if (facts.method !== "POST" && facts.method !== "GET") return yield* fail("InvalidAction.NotFound")
    if (action !== "AssumeRole" && action !== "AssumeRoleWithOIDC") {
      return yield* fail("InvalidAction.NotFound", `Specified api ${action ?? ""} is not found.`)
    }
    const body = action === "AssumeRole" ? yield* assumeRole(facts, params) : yield* assumeRoleWithOidc(params)
    const requestId = ackRequestId()
    return json(200, { RequestId: requestId, ...body }, { "x-acs-request-id": requestId })
  }).pipe(
    Effect.catchIf(
      (e): e is AckError => e instanceof AckError,
      (e) =>
        Effect.succeed(
          alibabaError({
            code: e.code,
            message: e.message,
            status: STATUS[e.code],
            rpc: { host: "sts.aliyuncs.com", product: "Sts" }
          })
        )
    )
  )
