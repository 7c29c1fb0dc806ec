/**
 * The ECS instance RAM role in the credential chain, against the mock cloud's metadata service (whose STS
 * credentials its ACK API accepts) and against a 127.0.0.1 stand-in for the refresh before expiry.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { scoped } from "../src/AckClient.js"
import { memoized, resolve } from "../src/AckCredentials.js"
import { MockCloudServer, mockLayer, runningCluster } from "./fixtures.js"

const home = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "kubecred-ack-role-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

/** The chain's environment pointed at the mock's metadata service. */
const roleEnv = Effect.map(MockCloudServer, (mock) => ({
  env: { KUBECRED_ECS_METADATA_ENDPOINT: mock.metadata.endpoint } as Record<string, string>,
  role: mock.metadata.ecsRole,
  sts: mock.alibaba.sts
}))

/** A metadata service that hands out a new key id on each request; the n-th expires n-1 hours after `expiresAt`. */
const countingService = (expiresAt: Date) =>
  Effect.acquireRelease(
    Effect.async<{ server: Server; served: () => number }>((resume) => {
      let served = 0
      const server = createServer((req, res) => {
        if (req.method === "PUT") return res.end("session")
        served++
        res.setHeader("content-type", "application/json")
        res.end(
          JSON.stringify({
            AccessKeyId: `STS.key${served}`,
            AccessKeySecret: "secret",
            SecurityToken: "token",
            Expiration: new Date(expiresAt.getTime() + (served - 1) * 3600_000).toISOString(),
            Code: "Success"
          })
        )
      })
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed({ server, served: () => served })))
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  )

/** A service that hands out session tokens but refuses every request that carries one (IMDSv1 only). */
const v1OnlyService = Effect.acquireRelease(
  Effect.async<Server>((resume) => {
    const s = createServer((req, res) => {
      if (req.method === "PUT") return res.end("session")
      if (req.headers["x-aliyun-ecs-metadata-token"] !== undefined) {
        res.statusCode = 401
        return res.end()
      }
      res.setHeader("content-type", "application/json")
      res.end(
        JSON.stringify({
          AccessKeyId: "STS.v1",
          AccessKeySecret: "secret",
          SecurityToken: "token",
          Expiration: "2030-01-01T00:00:00Z",
          Code: "Success"
        })
      )
    })
    s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
  }),
  (s) => Effect.async<void>((resume) => void s.close(() => resume(Effect.void)))
)

describe("ECS RAM role over IMDSv1", () => {
  it.scoped("a refused session token falls back to IMDSv1, unless ALIBABA_CLOUD_IMDSV1_DISABLED", () =>
    Effect.gen(function* () {
      const server = yield* v1OnlyService
      const env = {
        ALIBABA_CLOUD_ECS_METADATA: "role",
        KUBECRED_ECS_METADATA_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      }
      expect((yield* resolve({ env, home: "/nonexistent" })).accessKeyId).toBe("STS.v1")
      const strict = yield* Effect.flip(
        resolve({ env: { ...env, ALIBABA_CLOUD_IMDSV1_DISABLED: "true" }, home: "/nonexistent" })
      )
      expect(strict.message).toContain('answered HTTP 401 for RAM role "role"')
    })
  )
})

describe("ECS RAM role credentials in the memoized chain", () => {
  it.scoped("are fetched again five minutes before they expire, not before", () =>
    Effect.gen(function* () {
      const expiresAt = new Date(Date.UTC(2030, 0, 1))
      const { server, served } = yield* countingService(expiresAt)
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const credentials = yield* memoized({
        env: { ALIBABA_CLOUD_ECS_METADATA: "role", KUBECRED_ECS_METADATA_ENDPOINT: endpoint },
        home: "/nonexistent"
      })
      yield* TestClock.setTime(expiresAt.getTime() - 60 * 60_000)
      expect((yield* credentials).accessKeyId).toBe("STS.key1")
      yield* TestClock.setTime(expiresAt.getTime() - 6 * 60_000)
      expect((yield* credentials).accessKeyId).toBe("STS.key1")
      yield* TestClock.setTime(expiresAt.getTime() - 4 * 60_000)
      expect((yield* credentials).accessKeyId).toBe("STS.key2")
      expect((yield* credentials).accessKeyId).toBe("STS.key2")
      expect(served()).toBe(2)
    })
  )
})

// Live clock: requests to the mock are signed with the time.
layer(mockLayer(), { excludeTestServices: true })("ECS RAM role", (it) => {
  it.scoped("ALIBABA_CLOUD_ECS_METADATA: the role's STS credentials, also with IMDSv1 turned off", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const { env, role, sts } = yield* roleEnv
      for (const imds of [{}, { ALIBABA_CLOUD_IMDSV1_DISABLED: "true" }]) {
        const creds = yield* resolve({ env: { ...env, ...imds, ALIBABA_CLOUD_ECS_METADATA: role }, home: dir })
        expect(creds.accessKeyId).toBe(sts.accessKeyId)
        expect(Redacted.value(creds.accessKeySecret)).toBe(sts.accessKeySecret)
        expect(Redacted.value(creds.securityToken!)).toBe(sts.securityToken)
        expect(creds.source).toBe(`ECS RAM role ${role} (ALIBABA_CLOUD_ECS_METADATA)`)
        const hoursLeft = (creds.expiresAt!.getTime() - Date.now()) / 3600_000
        expect(hoursLeft).toBeGreaterThan(5.9)
        expect(hoursLeft).toBeLessThan(6.1)
        expect(JSON.stringify(creds)).not.toContain(sts.accessKeySecret)
      }
    })
  )

  it.scoped("the aliyun CLI's EcsRamRole mode and the credentials file's ecs_ram_role type", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const { env, role, sts } = yield* roleEnv
      mkdirSync(join(dir, ".aliyun"))
      writeFileSync(
        join(dir, ".aliyun", "config.json"),
        JSON.stringify({ current: "vm", profiles: [{ name: "vm", mode: "EcsRamRole", ram_role_name: role }] })
      )
      const fromCli = yield* resolve({ env, home: dir })
      expect(fromCli).toMatchObject({ accessKeyId: sts.accessKeyId, source: expect.stringContaining("config.json") })
      mkdirSync(join(dir, ".alibabacloud"))
      writeFileSync(join(dir, ".alibabacloud", "credentials"), `[default]\ntype = ecs_ram_role\nrole_name = ${role}\n`)
      const fromFile = yield* resolve({ env: { ...env, ALIBABA_CLOUD_CLI_PROFILE_DISABLED: "true" }, home: dir })
      expect(fromFile).toMatchObject({ accessKeyId: sts.accessKeyId, source: expect.stringContaining("[default]") })
    })
  )

  it.scoped("an unknown role, a disabled service and an unreachable one are one-line CredentialsMissing", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const { env, role } = yield* roleEnv
      const unknown = yield* Effect.flip(resolve({ env: { ...env, ALIBABA_CLOUD_ECS_METADATA: "nope" }, home: dir }))
      expect(unknown._tag).toBe("CredentialsMissing")
      expect(unknown.message).toContain('knows no RAM role "nope"')
      const disabled = yield* Effect.flip(
        resolve({
          env: { ...env, ALIBABA_CLOUD_ECS_METADATA: role, ALIBABA_CLOUD_ECS_METADATA_DISABLED: "true" },
          home: dir
        })
      )
      expect(disabled.message).toContain("ECS RAM role (skipped: ALIBABA_CLOUD_ECS_METADATA_DISABLED=true)")
      const closed = yield* Effect.flip(
        resolve({
          env: { KUBECRED_ECS_METADATA_ENDPOINT: "http://127.0.0.1:9", ALIBABA_CLOUD_ECS_METADATA: role },
          home: dir
        })
      )
      expect(closed.message).toContain("cannot reach the ECS metadata service at http://127.0.0.1:9")
      for (const error of [unknown, disabled, closed]) expect(error.message).not.toContain("\n")
    })
  )

  it.scoped("a metadata service that never answers costs one second, then a one-line CredentialsMissing", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const server = yield* Effect.acquireRelease(
        Effect.async<Server>((resume) => {
          const s = createServer(() => {})
          s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
        }),
        (s) =>
          Effect.async<void>((resume) => {
            s.closeAllConnections()
            s.close(() => resume(Effect.void))
          })
      )
      const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
      const error = yield* Effect.flip(
        resolve({ env: { KUBECRED_ECS_METADATA_ENDPOINT: endpoint, ALIBABA_CLOUD_ECS_METADATA: "role" }, home: dir })
      )
      expect(error.message).toContain(`cannot reach the ECS metadata service at ${endpoint}: no answer within 1000 ms`)
    })
  )

  it.scoped("the ACK client fetches a kubeconfig with the role's credentials", () =>
    Effect.gen(function* () {
      const dir = yield* home
      const { env, role } = yield* roleEnv
      const mock = yield* MockCloudServer
      const clusterId = yield* runningCluster()
      const source = yield* scoped({
        endpoint: mock.alibaba.endpoint,
        env: { ...env, ALIBABA_CLOUD_ECS_METADATA: role },
        home: dir
      })
      const fetched = yield* source.fetch({
        _tag: "alibaba",
        region: "cn-hangzhou",
        clusterId,
        endpoint: "public"
      } as AlibabaFetchRequest)
      expect(fetched.provenance.clusterId).toBe(clusterId)
    })
  )
})
