/**
 * Temporary credentials of a CVM instance's CAM role from the instance metadata service (docs/contracts/tke.md
 * "Instance role"): `GET /latest/meta-data/cam/security-credentials/<role>` answers
 * `{TmpSecretId, TmpSecretKey, Token, ExpiredTime, Code}`. Never through HTTP(S)_PROXY (the service is only
 * reachable from the instance). Failures are one readable reason, without the credentials.
 */
import { request } from "@kubecred/http-proxy/DirectRequest"
import { roleReply, text, unusableRole } from "@kubecred/core/CredentialChain"
import * as Effect from "effect/Effect"

export const DEFAULT_METADATA_ENDPOINT = "http://metadata.tencentyun.com"

export interface CvmRoleCredentials {
  readonly secretId: string
  readonly secretKey: string
  readonly token: string
  readonly expiresAt: Date
}

export interface FetchOptions {
  readonly endpoint: string
  readonly role: string
  /** Per request; off a CVM instance the host does not resolve or does not answer. */
  readonly timeoutMillis?: number
}

export const fetchRoleCredentials = (options: FetchOptions): Effect.Effect<CvmRoleCredentials, string> =>
  Effect.gen(function* () {
    const base = options.endpoint.replace(/\/+$/, "")
    const timeout = options.timeoutMillis ?? 1000
    const where = `the CVM metadata service at ${base}`
    const url = `${base}/latest/meta-data/cam/security-credentials/${encodeURIComponent(options.role)}`
    const reply = yield* request(url, {}, timeout).pipe(Effect.mapError((reason) => `cannot reach ${where}: ${reason}`))
    const body = yield* roleReply(where, "CAM role", options.role, reply)
    const secretId = text(body.TmpSecretId)
    const secretKey = text(body.TmpSecretKey)
    const token = text(body.Token)
    const expiredTime = typeof body.ExpiredTime === "number" ? body.ExpiredTime : Number.NaN
    if (body.Code !== "Success" || !secretId || !secretKey || !token || !Number.isFinite(expiredTime)) {
      return yield* Effect.fail(unusableRole(where, "CAM role", options.role, body.Code))
    }
    return { secretId, secretKey, token, expiresAt: new Date(expiredTime * 1000) }
  })
