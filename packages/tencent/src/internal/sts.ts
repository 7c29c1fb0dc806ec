/**
 * Tencent Cloud STS (`sts`, 2018-08-13; docs/mock-sts.md "Tencent Cloud STS"): `AssumeRole`, TC3-signed with
 * the base credentials, and `AssumeRoleWithWebIdentity`, unsigned (`Authorization: SKIP`, as the SDK's
 * OIDCRoleArnCredential sends it). Both answer `Response.Credentials {TmpSecretId, TmpSecretKey, Token}` and
 * `ExpiredTime` (Unix seconds). A refusal is decided here: a trust policy or a missing role is AccessDenied, a
 * bad or expired token or signature AuthenticationFailed, anything else a reason (CredentialsMissing upstream).
 * Nothing secret (keys, tokens) is ever part of a failure.
 */
import * as Chain from "@kubecred/core/CredentialChain"
import * as ServiceRequest from "@kubecred/http-proxy/ServiceRequest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import { sign } from "./tc3Signer.js"

export const STS_VERSION = "2018-08-13"
export const DEFAULT_STS_ENDPOINT = "https://sts.tencentcloudapi.com"
/** The region the SDK's STSCredential sends when none is given. */
export const DEFAULT_STS_REGION = "ap-guangzhou"

export interface StsTarget {
  /** `https://host[:port]`. */
  readonly endpoint: string
  /** A PEM CA trusted for these calls only (the mock cloud's). */
  readonly ca?: string | undefined
  readonly env: Record<string, string | undefined>
}

export interface StsCredentials {
  readonly secretId: string
  readonly secretKey: string
  readonly token: string
  readonly expiresAt: Date
}

/** Codes the taxonomy decides; the rest are reasons. */
const decided: Record<string, "AccessDenied" | "AuthenticationFailed"> = {
  UnauthorizedOperation: "AccessDenied",
  "ResourceNotFound.RoleNotFound": "AccessDenied",
  "InvalidParameter.WebIdentityTokenError": "AuthenticationFailed"
}

const decide = (code: string): "AccessDenied" | "AuthenticationFailed" | undefined =>
  decided[code] ?? (code.startsWith("AuthFailure") ? "AuthenticationFailed" : undefined)

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)

/** At most one line of 300 characters of what the STS said: data from the network, shown, never trusted. */
const said = (message: unknown): string =>
  typeof message === "string" ? message.split(/\r?\n/)[0]!.slice(0, 300) : "no message"

export interface Call {
  readonly action: "AssumeRole" | "AssumeRoleWithWebIdentity"
  readonly region: string
  readonly params: Record<string, string | number>
  /** Signs with these; unsigned (`Authorization: SKIP`) without. */
  readonly signWith?: { readonly secretId: string; readonly secretKey: string; readonly token?: string | undefined }
  /** The chain step, for the messages (`TKE_ROLE_ARN`, `--role-arn`). */
  readonly step: string
}

/**
 * Codes worth another try: throttling and the plain internal errors. `InternalError.GetRoleError` (a role the
 * web identity names that does not exist) is not one.
 */
const transientCode = (code: string): boolean =>
  code === "RequestLimitExceeded" ||
  code.startsWith("RequestLimitExceeded.") ||
  code === "InternalError" ||
  code === "ServiceUnavailable"

/** One exchange, tried again on a transient failure (Chain.retryTransient). */
export const call = (target: StsTarget, request: Call): Effect.Effect<StsCredentials, Chain.StepError> =>
  Chain.retryTransient(target.endpoint, request, (url, where) => attempt(url, where, target, request))

const attempt = (url: URL, where: string, target: StsTarget, request: Call) =>
  Effect.gen(function* () {
    const body = JSON.stringify(request.params)
    const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
    const headers: Record<string, string> = {
      "content-type": "application/json",
      host: url.host,
      "x-tc-action": request.action,
      "x-tc-version": STS_VERSION,
      "x-tc-region": request.region,
      "x-tc-timestamp": String(timestamp),
      "x-tc-requestclient": "kubecred-tencent"
    }
    if (request.signWith === undefined) {
      headers.authorization = "SKIP"
    } else {
      headers.authorization = sign({
        method: "POST",
        host: url.hostname,
        path: "/",
        query: "",
        contentType: "application/json",
        payload: body,
        timestamp,
        service: "sts",
        secretId: request.signWith.secretId,
        secretKey: request.signWith.secretKey
      }).authorization
      if (request.signWith.token) headers["x-tc-token"] = request.signWith.token
    }
    const reply = yield* ServiceRequest.send(`${url.origin}/`, {
      method: "POST",
      headers,
      body,
      env: target.env,
      ca: target.ca
    }).pipe(Effect.mapError((reason) => Chain.transientIf(ServiceRequest.isNoAnswer(reason), `${where}: ${reason}`)))
    const failedStatus = reply.status >= 500 || reply.status === 429
    let json: Record<string, unknown>
    try {
      json = JSON.parse(reply.text) as Record<string, unknown>
    } catch {
      return yield* Effect.fail(
        Chain.transientIf(failedStatus, `${where}: HTTP ${reply.status}, the answer is not JSON`)
      )
    }
    const response = (json.Response ?? {}) as Record<string, unknown>
    const error = response.Error as { Code?: unknown; Message?: unknown } | undefined
    const requestId = str(response.RequestId)
    if (error !== undefined) {
      const code = str(error.Code) ?? "unknown"
      const decided = decide(code)
      return yield* Effect.fail(
        Chain.transientIf(
          decided === undefined && (transientCode(code) || failedStatus),
          Chain.refused(
            {
              provider: "tencent",
              action: request.action,
              code,
              requestId,
              message: said(error.Message),
              step: request.step,
              decided
            },
            where
          )
        )
      )
    }
    const credentials = (response.Credentials ?? {}) as Record<string, unknown>
    const secretId = str(credentials.TmpSecretId)
    const secretKey = str(credentials.TmpSecretKey)
    const token = str(credentials.Token)
    const expiredTime = typeof response.ExpiredTime === "number" ? response.ExpiredTime : Number.NaN
    if (secretId === undefined || secretKey === undefined || token === undefined || !Number.isFinite(expiredTime)) {
      return yield* Effect.fail(
        Chain.transientIf(failedStatus, `${where}: HTTP ${reply.status}, the answer holds no usable credentials`)
      )
    }
    return { secretId, secretKey, token, expiresAt: new Date(expiredTime * 1000) }
  })
