/**
 * Alibaba Cloud STS (`Sts`, 2015-04-01; docs/mock-sts.md "Alibaba Cloud STS"): RPC calls, `POST /` with
 * `Version`, `Action`, `Format=JSON`, `Timestamp` in the query and the parameters in a form body.
 * `AssumeRole` is signed the RPC way (HMAC-SHA1, the V2 signer's digest, with the key `<secret>&`, over
 * `POST&%2F&` and the encoded sorted query and form parameters), as @alicloud/credentials' RamRoleArn provider
 * signs it; `AssumeRoleWithOIDC` is sent unsigned. A refusal is decided here: a trust policy, a missing role or
 * OIDC provider is AccessDenied; an expired, foreign or badly signed OIDC token and a bad signature or key are
 * AuthenticationFailed; anything else is a reason (CredentialsMissing upstream). Nothing secret is ever part of a
 * failure (the gateway's echoed string to sign is dropped).
 */
import * as Chain from "@kubecred/core/CredentialChain"
import * as ServiceRequest from "@kubecred/http-proxy/ServiceRequest"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import { signature } from "./v2Signer.js"

export const STS_VERSION = "2015-04-01"
export const DEFAULT_STS_ENDPOINT = "https://sts.aliyuncs.com"
/** What @alicloud/credentials asks for (and the STS's own default). */
export const DEFAULT_DURATION_SECONDS = 3600

export interface StsTarget {
  readonly endpoint: string
  readonly ca?: string | undefined
  readonly env: Record<string, string | undefined>
}

export interface StsCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken: string
  readonly expiresAt: Date
}

/** RFC 3986 percent-encoding, as the RPC signature wants it. */
export const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** `POST&%2F&` and the encoding of the sorted, encoded `name=value` pairs. */
export const rpcStringToSign = (method: string, params: Readonly<Record<string, string>>): string =>
  `${method}&${percentEncode("/")}&${percentEncode(
    Object.keys(params)
      .sort()
      .map((key) => `${percentEncode(key)}=${percentEncode(params[key]!)}`)
      .join("&")
  )}`

/** The RPC `Signature`: base64 HMAC-SHA1 keyed with `<AccessKeySecret>&`. */
export const rpcSignature = (accessKeySecret: string, toSign: string): string =>
  signature(`${accessKeySecret}&`, toSign)

const decide = (code: string): "AccessDenied" | "AuthenticationFailed" | undefined => {
  if (code === "NoPermission" || code === "AuthenticationFail.NoPermission" || code.startsWith("EntityNotExist")) {
    return "AccessDenied"
  }
  if (
    code.startsWith("AuthenticationFail") ||
    code.startsWith("InvalidSecurityToken") ||
    code.startsWith("InvalidAccessKeyId") ||
    code === "SignatureDoesNotMatch" ||
    code === "IncompleteSignature"
  ) {
    return "AuthenticationFailed"
  }
  return undefined
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)

/** One line of at most 300 characters; the gateway's echo of its string to sign is cut off. */
const said = (message: unknown): string =>
  typeof message === "string"
    ? message
        .split(/\r?\n/)[0]!
        .replace(/server string to sign is:.*$/, "")
        .trim()
        .slice(0, 300)
    : "no message"

/** `YYYY-MM-DDTHH:mm:ssZ`. */
const timestamp = (millis: number) => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

export interface Call {
  readonly action: "AssumeRole" | "AssumeRoleWithOIDC"
  readonly params: Readonly<Record<string, string>>
  readonly signWith?: {
    readonly accessKeyId: string
    readonly accessKeySecret: string
    readonly securityToken?: string | undefined
  }
  /** The chain step, for the messages. */
  readonly step: string
}

/** Codes worth another try: throttling (any code that says so, as for ACK itself) and the internal errors. */
const transientCode = (code: string): boolean =>
  code.includes("Throttling") || code === "ServiceUnavailable" || code === "InternalError"

/** One exchange, tried again on a transient failure (Chain.retryTransient). */
export const call = (target: StsTarget, request: Call): Effect.Effect<StsCredentials, Chain.StepError> =>
  Chain.retryTransient(target.endpoint, request, (url, where) => attempt(url, where, target, request))

const attempt = (url: URL, where: string, target: StsTarget, request: Call) =>
  Effect.gen(function* () {
    const query: Record<string, string> = {
      Version: STS_VERSION,
      Action: request.action,
      Format: "JSON",
      Timestamp: timestamp(yield* Clock.currentTimeMillis)
    }
    if (request.signWith !== undefined) {
      const nonce = (yield* Random.nextInt).toString(16) + (yield* Clock.currentTimeNanos).toString(16)
      query.SignatureMethod = "HMAC-SHA1"
      query.SignatureVersion = "1.0"
      query.SignatureNonce = nonce
      query.AccessKeyId = request.signWith.accessKeyId
      if (request.signWith.securityToken) query.SecurityToken = request.signWith.securityToken
      query.Signature = rpcSignature(
        request.signWith.accessKeySecret,
        rpcStringToSign("POST", { ...query, ...request.params })
      )
    }
    const encode = (pairs: Readonly<Record<string, string>>) =>
      Object.entries(pairs)
        .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
        .join("&")
    const reply = yield* ServiceRequest.send(`${url.origin}/?${encode(query)}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: encode(request.params),
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
    const requestId = str(json.RequestId) ?? str(reply.headers["x-acs-request-id"])
    if (reply.status !== 200 || json.Code !== undefined) {
      const code = str(json.Code) ?? `HTTP ${reply.status}`
      const decided = decide(code)
      return yield* Effect.fail(
        Chain.transientIf(
          decided === undefined && (transientCode(code) || failedStatus),
          Chain.refused(
            {
              provider: "alibaba",
              action: request.action,
              code,
              requestId,
              message: said(json.Message),
              step: request.step,
              decided
            },
            where
          )
        )
      )
    }
    const credentials = (json.Credentials ?? {}) as Record<string, unknown>
    const accessKeyId = str(credentials.AccessKeyId)
    const accessKeySecret = str(credentials.AccessKeySecret)
    const securityToken = str(credentials.SecurityToken)
    const expiresAt = new Date(str(credentials.Expiration) ?? Number.NaN)
    if (
      accessKeyId === undefined ||
      accessKeySecret === undefined ||
      securityToken === undefined ||
      Number.isNaN(expiresAt.getTime())
    ) {
      return yield* Effect.fail(Chain.transientIf(failedStatus, `${where}: the answer holds no usable credentials`))
    }
    return { accessKeyId, accessKeySecret, securityToken, expiresAt }
  })

/** The STS host @alicloud/credentials picks: a region's (`sts[-vpc].<region>.aliyuncs.com`), else the central one. */
export const endpointFor = (region: string | undefined, vpc: boolean): string =>
  region === undefined ? DEFAULT_STS_ENDPOINT : `https://sts${vpc ? "-vpc" : ""}.${region}.aliyuncs.com`
