/**
 * The chain's STS sources against the mock cloud's STS over HTTPS (its CA trusted for these calls only): TKE pod
 * identity from the TKE_* variables (AssumeRoleWithWebIdentity, unsigned) and a role assumed with --role-arn or a
 * tccli profile's role-arn (AssumeRole, TC3-signed); their failures (token file missing, trust refused, token
 * expired); the credentials then fetching a kubeconfig over both transports; the refresh before expiry under
 * TestClock.
 */
import { expect, layer } from "@effect/vitest"
import type { TencentFetchRequest } from "@kubecred/core/FetchRequest"
import { type MockCloud, layer as mockLayer } from "@kubecred/mock-cloud"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as TkeClient from "../src/TkeClient.js"
import { resolve } from "../src/TkeCredentials.js"
import {
  MockCloudServer,
  credentialsOf,
  fastPacing,
  isolated,
  requestsOf,
  setFaults,
  transports,
  withPolicy
} from "./support/mock.js"

const AUDIENCE = "sts.cloud.tencent.com"

/** A token of the mock's issuer in a fresh file; its path. */
const tokenFile = (mock: MockCloud, options: { readonly expiresInSeconds?: number; readonly subject?: string } = {}) =>
  Effect.map(
    Effect.promise(() =>
      mock.mintOidcToken({
        audience: AUDIENCE,
        subject: options.subject ?? "system:serviceaccount:default:app",
        ...options
      })
    ),
    (token) => {
      const path = join(mkdtempSync(join(tmpdir(), "kubecred-tke-oidc-")), "token")
      writeFileSync(path, token)
      return path
    }
  )

const roleNamed = (mock: MockCloud, suffix: string) => mock.tencent.roles.find((r) => r.name.endsWith(suffix))!

/** A pod's environment: only the four variables, and STS pointed at the mock. */
const podEnv = (mock: MockCloud, path: string, role = mock.tencent.roles[0]!.arn) => ({
  TKE_ROLE_ARN: role,
  TKE_PROVIDER_ID: mock.tencent.oidcProviders[0]!.id,
  TKE_WEB_IDENTITY_TOKEN_FILE: path,
  TKE_REGION: "ap-guangzhou",
  KUBECRED_TKE_STS_ENDPOINT: mock.tencent.stsEndpoint
})

const sts = (mock: MockCloud) => ({ stsCa: readFileSync(mock.caFile, "utf8") })

const runningCluster = (mock: MockCloud): TencentFetchRequest => {
  const cluster = mock.tencent.clusters.find((c) => c.status === "Running")!
  return {
    _tag: "tencent",
    region: cluster.region,
    clusterId: cluster.clusterId,
    endpoint: "public"
  } as TencentFetchRequest
}

layer(mockLayer({ tencentRateLimit: 10_000 }), { excludeTestServices: true })("Tencent STS sources", (it) => {
  it.effect("TKE pod identity: the token exchanged for the role's session, after every other source", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const path = yield* tokenFile(mock)
      const found = yield* resolve({ ...isolated, ...sts(mock), env: podEnv(mock, path) })
      expect(found.source).toBe(`TKE pod identity ${mock.tencent.roles[0]!.arn} (TKE_ROLE_ARN)`)
      expect(found.secretId).toMatch(/^AKID/)
      expect(found.token).toBeDefined()
      expect(found.expiresAt!.getTime()).toBeGreaterThan(Date.now())
      // the SDK's order: env first, OIDC last
      const withEnv = yield* resolve({
        ...isolated,
        ...sts(mock),
        env: { ...podEnv(mock, path), TENCENTCLOUD_SECRET_ID: "AKIDenv", TENCENTCLOUD_SECRET_KEY: "k" }
      })
      expect(withEnv.source).toBe("env")
    })
  )

  it.effect("the token file is read at each exchange", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const path = yield* tokenFile(mock, { expiresInSeconds: 0 })
      const env = podEnv(mock, path)
      const expired = yield* Effect.flip(resolve({ ...isolated, ...sts(mock), env }))
      expect(expired._tag).toBe("AuthenticationFailed")
      writeFileSync(path, readFileSync(yield* tokenFile(mock), "utf8"))
      const found = yield* resolve({ ...isolated, ...sts(mock), env })
      expect(found.secretId).toMatch(/^AKID/)
    })
  )

  it.effect("failures name the step: token file missing, partial variables, trust refused, token expired", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const path = yield* tokenFile(mock)
      const token = readFileSync(path, "utf8")
      const missing = yield* Effect.flip(
        resolve({ ...isolated, ...sts(mock), env: podEnv(mock, "/nonexistent-kubecred/token") })
      )
      expect(missing._tag).toBe("CredentialsMissing")
      expect(missing.message).toContain("TKE_WEB_IDENTITY_TOKEN_FILE points at /nonexistent-kubecred/token")

      const { TKE_PROVIDER_ID: _, ...partialEnv } = podEnv(mock, path)
      const partial = yield* Effect.flip(resolve({ ...isolated, ...sts(mock), env: partialEnv }))
      expect(partial._tag).toBe("CredentialsMissing")
      expect(partial.message).toContain("but TKE_PROVIDER_ID not")

      const refused = yield* Effect.flip(
        resolve({ ...isolated, ...sts(mock), env: podEnv(mock, path, roleNamed(mock, "-key-only").arn) })
      )
      expect(refused._tag).toBe("AccessDenied")
      expect(refused.message).toContain("UnauthorizedOperation")
      expect(refused.message).toContain("TKE_ROLE_ARN (TKE pod identity")

      const old = yield* tokenFile(mock, { expiresInSeconds: -60 })
      const expired = yield* Effect.flip(resolve({ ...isolated, ...sts(mock), env: podEnv(mock, old) }))
      expect(expired._tag).toBe("AuthenticationFailed")
      expect(expired.message).toContain("InvalidParameter.WebIdentityTokenError")

      // the mock's CA is trusted only when given: without it the HTTPS STS is refused
      const untrusted = yield* Effect.flip(resolve({ ...isolated, env: podEnv(mock, path) }))
      expect(untrusted._tag).toBe("CredentialsMissing")
      expect(untrusted.message).toContain("STS AssumeRoleWithWebIdentity")

      for (const error of [missing, partial, refused, expired, untrusted]) {
        expect(error.message).not.toContain("\n")
        expect(error.message).not.toContain(token)
        expect(JSON.stringify(error)).not.toContain(token)
      }
    })
  )

  it.effect("--role-arn: the found credentials assume the role; a role not trusting them is AccessDenied", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const base = { ...isolated, ...sts(mock), env: { KUBECRED_TKE_STS_ENDPOINT: mock.tencent.stsEndpoint } }
      const credentials = credentialsOf(mock)
      const role = mock.tencent.roles[0]!
      const found = yield* resolve({ ...base, credentials, roleArn: role.arn, roleSessionName: "ci-run-7" })
      expect(found.source).toBe(`role ${role.arn} (--role-arn, from explicit)`)
      expect(found.secretId).not.toBe(mock.tencent.secretId)
      expect(found.token).toBeDefined()

      // a role chained from the pod identity's session (the first role trusts its own sessions)
      const path = yield* tokenFile(mock)
      const chained = yield* resolve({ ...base, env: { ...podEnv(mock, path) }, roleArn: role.arn })
      expect(chained.source).toContain("from TKE pod identity")

      const refused = yield* Effect.flip(resolve({ ...base, credentials, roleArn: roleNamed(mock, "-oidc-only").arn }))
      expect(refused._tag).toBe("AccessDenied")
      expect(refused.message).toContain("--role-arn")
      expect(refused.message).not.toContain(mock.tencent.secretKey)

      const wrongKey = yield* Effect.flip(
        resolve({ ...base, credentials: { ...credentials, secretKey: Redacted.make("wrong") }, roleArn: role.arn })
      )
      expect(wrongKey._tag).toBe("AuthenticationFailed")
    })
  )

  it.effect("a tccli profile's role-arn is assumed with that profile's keys", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const home = mkdtempSync(join(tmpdir(), "kubecred-tke-home-"))
      const role = mock.tencent.roles[0]!
      mkdirSync(join(home, ".tccli"))
      writeFileSync(
        join(home, ".tccli", "default.credential"),
        JSON.stringify({
          secretId: mock.tencent.secretId,
          secretKey: mock.tencent.secretKey,
          "role-arn": role.arn,
          "role-session-name": "tccli-session"
        })
      )
      const found = yield* resolve({
        ...isolated,
        ...sts(mock),
        home,
        env: { KUBECRED_TKE_STS_ENDPOINT: mock.tencent.stsEndpoint }
      })
      expect(found.source).toContain(`role ${role.arn}`)
      expect(found.source).toContain("default.credential role-arn")
    })
  )

  it.effect("a transient STS failure is tried again (throttled, reset, HTTP 503); a refusal is not", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const assume = {
        ...isolated,
        ...sts(mock),
        env: { KUBECRED_TKE_STS_ENDPOINT: mock.tencent.stsEndpoint },
        credentials: credentialsOf(mock),
        roleArn: mock.tencent.roles[0]!.arn
      }
      const assumes = () => requestsOf(mock, "AssumeRole")
      const throttled = { error: { code: "RequestLimitExceeded", message: "slow down" } }
      yield* Effect.addFinalizer(() => setFaults(mock, []))
      for (const fault of [throttled, { reset: true }, { httpStatus: 503 }]) {
        yield* setFaults(mock, [{ provider: "tencent", action: "AssumeRole", count: 2, ...fault }])
        const before = assumes()
        const found = yield* resolve(assume)
        expect(found.token, JSON.stringify(fault)).toBeDefined()
        expect(assumes() - before, JSON.stringify(fault)).toBe(3)
      }
      // a role that does not trust the keys: refused after one request
      yield* setFaults(mock, [])
      let before = assumes()
      const refused = yield* Effect.flip(resolve({ ...assume, roleArn: roleNamed(mock, "-oidc-only").arn }))
      expect(refused._tag).toBe("AccessDenied")
      expect(assumes() - before).toBe(1)
      // throttled for good: the first try and maxRetries more, then the last reason
      yield* setFaults(mock, [{ provider: "tencent", action: "AssumeRole", ...throttled }])
      before = assumes()
      const exhausted = yield* Effect.flip(resolve(assume))
      expect(exhausted._tag).toBe("CredentialsMissing")
      expect(exhausted.message).toContain("--role-arn")
      expect(exhausted.message).toContain("RequestLimitExceeded: slow down")
      expect(assumes() - before).toBe(3)
    }).pipe(withPolicy({ maxRetries: 2 }), Effect.scoped)
  )

  for (const transport of transports) {
    it.scoped(`the pod identity's and the assumed role's sessions fetch a kubeconfig (${transport})`, () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const request = runningCluster(mock)
        const path = yield* tokenFile(mock)
        const pod = yield* Effect.provide(
          TkeClient.TkeClient,
          TkeClient.layer({
            ...isolated,
            ...sts(mock),
            env: podEnv(mock, path),
            endpoint: mock.tencent.endpoint,
            transport
          })
        )
        expect((yield* pod.fetch(request)).provenance.clusterId).toBe(request.clusterId)
        const assumed = yield* Effect.provide(
          TkeClient.TkeClient,
          TkeClient.layer({
            ...isolated,
            ...sts(mock),
            env: { KUBECRED_TKE_STS_ENDPOINT: mock.tencent.stsEndpoint },
            credentials: credentialsOf(mock),
            roleArn: mock.tencent.roles[0]!.arn,
            endpoint: mock.tencent.endpoint,
            transport
          })
        )
        expect((yield* assumed.fetch(request)).provenance.clusterId).toBe(request.clusterId)
      })
    )

    it.scoped(`STS sessions are exchanged again before they expire, under TestClock (${transport})`, () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const request = runningCluster(mock)
        const path = yield* tokenFile(mock)
        // sessions of 400 s: fresh for 100 s, then inside the 5-minute margin. Our clock moves less than the
        // mock's 5-minute skew allowance, so the mock's own clock (and the SDK's Date.now) can stay put.
        mock.setStsLifetime(400)
        yield* Effect.addFinalizer(() => Effect.sync(() => mock.setStsLifetime(undefined)))
        yield* TestClock.setTime(Date.now())
        const client = yield* Effect.provide(
          TkeClient.TkeClient,
          TkeClient.layer({
            ...isolated,
            ...sts(mock),
            env: podEnv(mock, path),
            endpoint: mock.tencent.endpoint,
            transport
          })
        )
        const exchanges = () => requestsOf(mock, "AssumeRoleWithWebIdentity")
        const before = exchanges()
        // the pacer needs time to pass between calls: a second each
        yield* client.fetch(request)
        yield* TestClock.adjust("1 second")
        yield* client.fetch(request)
        expect(exchanges() - before).toBe(1)
        // two minutes on: 279 s left, inside the margin: exchanged again, the token file read again (an
        // expired token in it now fails the call; a fresh one makes it work)
        yield* TestClock.adjust("2 minutes")
        writeFileSync(path, readFileSync(yield* tokenFile(mock, { expiresInSeconds: -1 }), "utf8"))
        const stale = yield* Effect.flip(client.fetch(request))
        expect(stale._tag).toBe("AuthenticationFailed")
        expect(exchanges() - before).toBe(2)
        writeFileSync(path, readFileSync(yield* tokenFile(mock), "utf8"))
        yield* TestClock.adjust("1 second")
        yield* client.fetch(request)
        expect(exchanges() - before).toBe(3)
      }).pipe(fastPacing, Effect.provide(TestContext.TestContext))
    )
  }
})
