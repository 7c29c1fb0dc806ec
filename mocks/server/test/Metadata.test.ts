/**
 * The instance metadata services (ECS `ram`, CVM `cam`): the session-token flow, the role listing, the
 * credentials (the mock's STS identities, valid six hours) and the refusals.
 */
import ECSRAMRoleCredentialsProvider from "@alicloud/credentials/dist/src/providers/ecs_ram_role.js"
import { doRequest } from "@alicloud/credentials/dist/src/providers/http.js"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { layer, MockCloudServer } from "../src/index.js"

/** The official ECS RAM role provider (@alicloud/credentials), its fixed 100.100.100.200 pointed at the mock. */
const officialEcsProvider = (endpoint: string, roleName: string | undefined, disableIMDSv1: boolean) => {
  const builder = ECSRAMRoleCredentialsProvider.builder().withDisableIMDSv1(disableIMDSv1)
  const provider = (roleName === undefined ? builder : builder.withRoleName(roleName)).build()
  const host = new URL(endpoint).host
  const seen: Array<string> = []
  ;(provider as unknown as { doRequest: typeof doRequest }).doRequest = (request) => {
    seen.push(`${request.method} ${request.path}`)
    ;(request as { host: string }).host = host
    return doRequest(request)
  }
  return { provider, seen }
}

const call = (url: string, init: RequestInit = {}) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    return { status: response.status, text: await response.text() }
  })

describe("instance metadata", () => {
  it.layer(layer())((it) => {
    it.effect("ECS: an IMDSv2 session token, the role, and its STS credentials", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        const base = `${cloud.metadata.endpoint}/latest`
        const token = yield* call(`${base}/api/token`, {
          method: "PUT",
          headers: { "X-aliyun-ecs-metadata-token-ttl-seconds": "60" }
        })
        expect(token.status).toBe(200)
        const headers = { "X-aliyun-ecs-metadata-token": token.text }
        const roles = yield* call(`${base}/meta-data/ram/security-credentials/`, { headers })
        expect(roles).toEqual({ status: 200, text: cloud.metadata.ecsRole })
        const reply = yield* call(`${base}/meta-data/ram/security-credentials/${cloud.metadata.ecsRole}`, { headers })
        const body = JSON.parse(reply.text)
        expect(body).toMatchObject({
          AccessKeyId: cloud.alibaba.sts.accessKeyId,
          AccessKeySecret: cloud.alibaba.sts.accessKeySecret,
          SecurityToken: cloud.alibaba.sts.securityToken,
          Code: "Success"
        })
        expect(body.Expiration).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
        const hours = (Date.parse(body.Expiration) - Date.now()) / 3600_000
        expect(hours).toBeGreaterThan(5.9)
        expect(hours).toBeLessThan(6.1)
        // IMDSv1 (no token) is answered too
        const v1 = yield* call(`${base}/meta-data/ram/security-credentials/${cloud.metadata.ecsRole}`)
        expect(v1.status).toBe(200)
      })
    )

    it.effect("the official ECS RAM role provider gets the mock's STS identity, with and without IMDSv1", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        for (const [roleName, disableIMDSv1] of [
          [undefined, false],
          [cloud.metadata.ecsRole, true]
        ] as const) {
          const { provider, seen } = officialEcsProvider(cloud.metadata.endpoint, roleName, disableIMDSv1)
          const credentials = yield* Effect.promise(() => provider.getCredentials())
          expect(credentials.accessKeyId).toBe(cloud.alibaba.sts.accessKeyId)
          expect(credentials.accessKeySecret).toBe(cloud.alibaba.sts.accessKeySecret)
          expect(credentials.securityToken).toBe(cloud.alibaba.sts.securityToken)
          expect(seen).toContain("PUT /latest/api/token")
          expect(seen).toContain(`GET /latest/meta-data/ram/security-credentials/${cloud.metadata.ecsRole}`)
        }
      })
    )

    it.effect("ECS refusals: a token not handed out, a TTL out of range, an unknown role", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        const base = `${cloud.metadata.endpoint}/latest`
        const forged = yield* call(`${base}/meta-data/ram/security-credentials/${cloud.metadata.ecsRole}`, {
          headers: { "X-aliyun-ecs-metadata-token": "forged" }
        })
        expect(forged.status).toBe(401)
        for (const ttl of ["0", "21601", "x"]) {
          const bad = yield* call(`${base}/api/token`, {
            method: "PUT",
            headers: { "X-aliyun-ecs-metadata-token-ttl-seconds": ttl }
          })
          expect(bad.status).toBe(400)
        }
        expect((yield* call(`${base}/api/token`, { method: "PUT" })).status).toBe(400)
        expect((yield* call(`${base}/meta-data/ram/security-credentials/other`)).status).toBe(404)
      })
    )

    it.effect("CVM: the role and its temporary credentials", () =>
      Effect.gen(function* () {
        const cloud = yield* MockCloudServer
        const base = `${cloud.metadata.endpoint}/latest/meta-data/cam/security-credentials/`
        expect(yield* call(base)).toEqual({ status: 200, text: cloud.metadata.cvmRole })
        const body = JSON.parse((yield* call(`${base}${cloud.metadata.cvmRole}`)).text)
        expect(body).toMatchObject({
          TmpSecretId: cloud.tencent.sts.secretId,
          TmpSecretKey: cloud.tencent.sts.secretKey,
          Token: cloud.tencent.sts.token,
          Code: "Success"
        })
        expect(body.ExpiredTime).toBe(Math.floor(Date.parse(body.Expiration) / 1000))
        expect((yield* call(`${base}other`)).status).toBe(404)
      })
    )
  })
})
