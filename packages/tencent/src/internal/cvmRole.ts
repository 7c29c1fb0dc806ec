/**
 * Temporary credentials of a CVM instance's CAM role from the instance metadata service (contracts.md §1.9
 * CvmRoleCredential): `GET /latest/meta-data/cam/security-credentials/<role>` answers
 * `{TmpSecretId, TmpSecretKey, Token, ExpiredTime, Code}`. Never through HTTP(S)_PROXY (the service is only
 * reachable from the instance). Failures are one readable reason, without the credentials.
 */
import { request } from "@kubecred/http-proxy/DirectRequest"
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

const str = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined)

export const fetchRoleCredentials = (options: FetchOptions): Effect.Effect<CvmRoleCredentials, string> =>
  Effect.gen(function* () {
    const base = options.endpoint.replace(/\/+$/, "")
    const timeout = options.timeoutMillis ?? 1000
    const where = `the CVM metadata service at ${base}`
    const role = JSON.stringify(options.role)
    const url = `${base}/latest/meta-data/cam/security-credentials/${encodeURIComponent(options.role)}`
    const reply = yield* request(url, {}, timeout).pipe(Effect.mapError((reason) => `cannot reach ${where}: ${reason}`))
    if (reply.status === 404) return yield* Effect.fail(`${where} knows no CAM role ${role}`)
    if (reply.status !== 200) return yield* Effect.fail(`${where} answered HTTP ${reply.status} for CAM role ${role}`)
    const body = yield* Effect.try({
      try: () => JSON.parse(reply.text) as Record<string, unknown>,
      catch: () => `${where} sent a reply for CAM role ${role} that is not JSON`
    })
    const secretId = str(body.TmpSecretId)
    const secretKey = str(body.TmpSecretKey)
    const token = str(body.Token)
    const expiredTime = typeof body.ExpiredTime === "number" ? body.ExpiredTime : Number.NaN
    if (body.Code !== "Success" || !secretId || !secretKey || !token || !Number.isFinite(expiredTime)) {
      const code = typeof body.Code === "string" ? ` (Code ${body.Code})` : ""
      return yield* Effect.fail(`${where} gave no usable credentials for CAM role ${role}${code}`)
    }
    return { secretId, secretKey, token, expiresAt: new Date(expiredTime * 1000) }
  })
