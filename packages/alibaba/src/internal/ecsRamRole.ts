/**
 * STS credentials of an ECS instance's RAM role from the instance metadata service (docs/contracts/ack.md "Credentials"):
 * an IMDSv2 session token (`PUT /latest/api/token`), then
 * `GET /latest/meta-data/ram/security-credentials/<role>` with it. Without a token, or when the request with it
 * is refused, it falls back to IMDSv1 unless `imdsV1Disabled`, as the official @alicloud/credentials provider
 * does. Never through HTTP(S)_PROXY (the service is link-local).
 * Failures are one readable reason; the credentials are never part of it.
 */
import { request } from "@kubecred/http-proxy/DirectRequest"
import { roleReply, text, unusableRole } from "@kubecred/core/CredentialChain"
import * as Effect from "effect/Effect"

export const DEFAULT_METADATA_ENDPOINT = "http://100.100.100.200"

export interface EcsRoleCredentials {
  readonly accessKeyId: string
  readonly accessKeySecret: string
  readonly securityToken: string
  readonly expiresAt: Date
}

export interface FetchOptions {
  readonly endpoint: string
  readonly role: string
  readonly imdsV1Disabled: boolean
  /** Per request. The service answers in milliseconds on ECS; elsewhere the address does not answer at all. */
  readonly timeoutMillis?: number
}

export const fetchRoleCredentials = (options: FetchOptions): Effect.Effect<EcsRoleCredentials, string> =>
  Effect.gen(function* () {
    const base = options.endpoint.replace(/\/+$/, "")
    const timeout = options.timeoutMillis ?? 1000
    const where = `the ECS metadata service at ${base}`
    const session = yield* request(
      `${base}/latest/api/token`,
      { method: "PUT", headers: { "X-aliyun-ecs-metadata-token-ttl-seconds": "21600" } },
      timeout
    ).pipe(Effect.mapError((reason) => `cannot reach ${where}: ${reason}`))
    const token = session.status === 200 ? session.text.trim() : undefined
    if (token === undefined && options.imdsV1Disabled) {
      return yield* Effect.fail(
        `${where} gave no session token (HTTP ${session.status}) and ALIBABA_CLOUD_IMDSV1_DISABLED=true`
      )
    }
    const url = `${base}/latest/meta-data/ram/security-credentials/${encodeURIComponent(options.role)}`
    const get = (sessionToken: string | undefined) =>
      request(
        url,
        { method: "GET", headers: sessionToken === undefined ? {} : { "X-aliyun-ecs-metadata-token": sessionToken } },
        timeout
      ).pipe(Effect.mapError((reason) => `cannot reach ${where}: ${reason}`))
    const first = yield* get(token)
    // Like the official provider: a refused token is retried without one, unless IMDSv1 is off.
    const reply =
      first.status !== 200 && first.status !== 404 && token !== undefined && !options.imdsV1Disabled
        ? yield* get(undefined)
        : first
    const body = yield* roleReply(where, "RAM role", options.role, reply)
    const accessKeyId = text(body.AccessKeyId)
    const accessKeySecret = text(body.AccessKeySecret)
    const securityToken = text(body.SecurityToken)
    const expiration = text(body.Expiration)
    const expiresAt = expiration === undefined ? undefined : new Date(expiration)
    if (
      body.Code !== "Success" ||
      accessKeyId === undefined ||
      accessKeySecret === undefined ||
      securityToken === undefined ||
      expiresAt === undefined ||
      Number.isNaN(expiresAt.getTime())
    ) {
      return yield* Effect.fail(unusableRole(where, "RAM role", options.role, body.Code))
    }
    return { accessKeyId, accessKeySecret, securityToken, expiresAt }
  })
