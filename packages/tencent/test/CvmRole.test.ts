/**
 * The CVM instance CAM role in the credential chain: against the mock cloud's metadata service (whose
 * temporary credentials its TKE API accepts, over both transports), and against a 127.0.0.1 stand-in that
 * counts requests, for the refresh before expiry.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import type { TencentFetchRequest } from "@kubecred/core/FetchRequest"
import { layer as mockLayer } from "@kubecred/mock-cloud"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as TkeClient from "../src/TkeClient.js"
import { resolve } from "../src/TkeCredentials.js"
import { MockCloudServer, isolated, transports } from "./support/mock.js"

const roleEnv = Effect.map(MockCloudServer, (mock) => ({
  KUBECRED_CVM_METADATA_ENDPOINT: mock.metadata.endpoint,
  TENCENTCLOUD_CAM_ROLE_NAME: mock.metadata.cvmRole
}))

const runningCluster = Effect.map(MockCloudServer, (mock) => {
  const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
  return {
    _tag: "tencent",
    region: cluster.region,
    clusterId: cluster.clusterId,
    endpoint: "public"
  } as TencentFetchRequest
})

layer(mockLayer({ tencentRateLimit: 10_000 }), { excludeTestServices: true })("CVM CAM role", (it) => {
  it.effect("TENCENTCLOUD_CAM_ROLE_NAME: the role's temporary credentials, after env and files", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const env = yield* roleEnv
      const creds = yield* resolve({ ...isolated, env })
      expect(creds.secretId).toBe(mock.tencent.sts.secretId)
      expect(Redacted.value(creds.secretKey)).toBe(mock.tencent.sts.secretKey)
      expect(Redacted.value(creds.token!)).toBe(mock.tencent.sts.token)
      expect(creds.source).toBe(`CVM CAM role ${mock.metadata.cvmRole} (TENCENTCLOUD_CAM_ROLE_NAME)`)
      const hoursLeft = (creds.expiresAt!.getTime() - Date.now()) / 3600_000
      expect(hoursLeft).toBeGreaterThan(5.9)
      expect(hoursLeft).toBeLessThan(6.1)
      const fromEnv = yield* resolve({
        ...isolated,
        env: { ...env, TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "key" }
      })
      expect(fromEnv.source).toBe("env")
    })
  )

  it.effect("an unknown role and an unreachable service are one-line CredentialsMissing", () =>
    Effect.gen(function* () {
      const env = yield* roleEnv
      const unknown = yield* Effect.flip(resolve({ ...isolated, env: { ...env, TENCENTCLOUD_CAM_ROLE_NAME: "nope" } }))
      expect(unknown._tag).toBe("CredentialsMissing")
      expect(unknown.message).toContain('knows no CAM role "nope"')
      expect(unknown.message).toContain("CVM CAM role nope")
      const closed = yield* Effect.flip(
        resolve({ ...isolated, env: { ...env, KUBECRED_CVM_METADATA_ENDPOINT: "http://127.0.0.1:9" } })
      )
      expect(closed.message).toContain("cannot reach the CVM metadata service at http://127.0.0.1:9")
      for (const error of [unknown, closed]) expect(error.message).not.toContain("\n")
    })
  )

  for (const transport of transports) {
    it.scoped(`the TKE client fetches a kubeconfig with the role's credentials (${transport})`, () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const request = yield* runningCluster
        const client = yield* Effect.provide(
          TkeClient.TkeClient,
          TkeClient.layer({ ...isolated, env: yield* roleEnv, endpoint: mock.tencent.endpoint, transport })
        )
        const fetched = yield* client.fetch(request)
        expect(fetched.provenance.clusterId).toBe(request.clusterId)
      })
    )
  }

  it.scoped("credentials close to expiry are fetched again; fresh ones are kept", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const request = yield* runningCluster
      for (const [minutesLeft, expected] of [
        [4, 3],
        [60, 1]
      ] as const) {
        // A stand-in service: the mock's own temporary credentials, expiring `minutesLeft` from now.
        let served = 0
        const server = yield* Effect.acquireRelease(
          Effect.async<ReturnType<typeof createServer>>((resume) => {
            const s = createServer((_, res) => {
              served++
              res.setHeader("content-type", "application/json")
              res.end(
                JSON.stringify({
                  TmpSecretId: mock.tencent.sts.secretId,
                  TmpSecretKey: mock.tencent.sts.secretKey,
                  Token: mock.tencent.sts.token,
                  ExpiredTime: Math.floor(Date.now() / 1000) + minutesLeft * 60,
                  Code: "Success"
                })
              )
            })
            s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
          }),
          (s) => Effect.async<void>((resume) => void s.close(() => resume(Effect.void)))
        )
        const env = {
          TENCENTCLOUD_CAM_ROLE_NAME: "role",
          KUBECRED_CVM_METADATA_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        }
        const client = yield* Effect.provide(
          TkeClient.TkeClient,
          TkeClient.layer({ ...isolated, env, endpoint: mock.tencent.endpoint })
        )
        for (let i = 0; i < 3; i++) yield* client.fetch(request)
        expect(served).toBe(expected)
      }
    })
  )
})

describe("CVM CAM role", () => {
  it.effect("without TENCENTCLOUD_CAM_ROLE_NAME the metadata service is never asked", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(resolve(isolated))
      expect(error.message).not.toContain("CAM role")
    })
  )
})
