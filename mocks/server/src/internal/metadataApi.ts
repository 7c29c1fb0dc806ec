/**
 * The instance metadata services that hand a VM its role's STS credentials (docs/contracts/tke.md "Instance
 * role", docs/contracts/ack.md "Credentials"), on the cloud port beside the APIs; their credentials are the mock's STS identities, which the
 * APIs accept.
 *
 * - ECS (`ram`): `PUT /latest/api/token` with `X-aliyun-ecs-metadata-token-ttl-seconds` (1..21600) gives an
 *   IMDSv2 session token; `GET /latest/meta-data/ram/security-credentials/` lists the role, and `.../<role>`
 *   answers `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration, LastUpdated, Code}`. A token that is sent
 *   must be one handed out (401 otherwise); without one the request is IMDSv1.
 * - CVM (`cam`): `GET /latest/meta-data/cam/security-credentials/` lists the role, and `.../<role>` answers
 *   `{TmpSecretId, TmpSecretKey, Token, ExpiredTime, Expiration, Code}`.
 *
 * Credentials are valid for six hours from the mock's clock, as on the real services.
 */
import { Effect } from "effect"
import { randomBytes } from "node:crypto"
import { ControlState } from "./controlState.js"
import { Credentials } from "./credentials.js"
import { json, type Reply, type RequestFacts } from "./reply.js"

export const ECS_ROLE = "kubecred-mock-ecs-role"
export const CVM_ROLE = "kubecred-mock-cvm-role"

const ECS_PREFIX = "/latest/meta-data/ram/security-credentials/"
const CVM_PREFIX = "/latest/meta-data/cam/security-credentials/"
const LIFETIME_MS = 6 * 3600_000

export const isMetadataPath = (path: string): boolean => path.startsWith("/latest/")

const text = (status: number, body: string): Reply => ({ status, headers: { "content-type": "text/plain" }, body })

/** ISO 8601 without milliseconds, as both services write it. */
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")

/** Session tokens handed out, with the time they stop working. */
const sessions = new Map<string, number>()

export const handle = (facts: RequestFacts): Effect.Effect<Reply, never, ControlState | Credentials> =>
  Effect.gen(function* () {
    const now = yield* (yield* ControlState).now
    const credentials = yield* Credentials
    if (facts.path === "/latest/api/token") {
      if (facts.method !== "PUT") return text(405, "")
      const ttl = Number(facts.headers["x-aliyun-ecs-metadata-token-ttl-seconds"])
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return text(400, "")
      const token = randomBytes(24).toString("base64url")
      sessions.set(token, now + ttl * 1000)
      return text(200, token)
    }
    if (facts.method !== "GET") return text(405, "")
    if (facts.path.startsWith(ECS_PREFIX)) {
      const token = facts.headers["x-aliyun-ecs-metadata-token"]
      if (token !== undefined && !((sessions.get(token) ?? 0) > now)) return text(401, "")
      const role = decodeURIComponent(facts.path.slice(ECS_PREFIX.length))
      if (role === "") return text(200, ECS_ROLE)
      if (role !== ECS_ROLE) return text(404, "")
      const sts = credentials.alibaba.sts
      return json(200, {
        AccessKeyId: sts.keyId,
        AccessKeySecret: sts.secret,
        SecurityToken: sts.token,
        Expiration: iso(now + LIFETIME_MS),
        LastUpdated: iso(now),
        Code: "Success"
      })
    }
    if (facts.path.startsWith(CVM_PREFIX)) {
      const role = decodeURIComponent(facts.path.slice(CVM_PREFIX.length))
      if (role === "") return text(200, CVM_ROLE)
      if (role !== CVM_ROLE) return text(404, "")
      const sts = credentials.tencent.sts
      return json(200, {
        TmpSecretId: sts.keyId,
        TmpSecretKey: sts.secret,
        Token: sts.token,
        ExpiredTime: Math.floor((now + LIFETIME_MS) / 1000),
        Expiration: iso(now + LIFETIME_MS),
        Code: "Success"
      })
    }
    return text(404, "")
  })
