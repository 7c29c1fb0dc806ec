/**
 * The chain's STS sources against the mock cloud's STS over HTTPS (its CA trusted for these calls only): RRSA from
 * the ALIBABA_CLOUD_* variables (AssumeRoleWithOIDC, unsigned), --role-arn (AssumeRole, RPC-signed), the
 * `ram_role_arn`, `oidc_role_arn` and `credentials_uri` types of ~/.alibabacloud/credentials, the aliyun CLI's
 * `RamRoleArn`, `ChainableRamRoleArn`, `OIDC`, `External` and `CredentialsURI` modes, ALIBABA_CLOUD_CREDENTIALS_URI;
 * their failures; the credentials fetching a kubeconfig over both transports; the refresh under TestClock.
 */
import { expect, layer } from "@effect/vitest"
import type { AlibabaFetchRequest } from "@kubecred/core/FetchRequest"
import type * as MockCloud from "@kubecred/mock-cloud"
import * as Effect from "effect/Effect"
import * as Duration from "effect/Duration"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as TestContext from "effect/TestContext"
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { scoped } from "../src/AckClient.js"
import { resolve } from "../src/AckCredentials.js"
import { RetryPolicy } from "@kubecred/core/Policy"
import { MockCloudServer, fastRetries, mockLayer, requestsSeen, runningCluster, withPolicies } from "./fixtures.js"

const AUDIENCE = "sts.aliyuncs.com"

const tempDir = () => mkdtempSync(join(tmpdir(), "kubecred-ack-sts-"))

const tokenFile = (mock: MockCloud.MockCloud, options: { readonly expiresInSeconds?: number } = {}) =>
  Effect.map(
    Effect.promise(() =>
      mock.mintOidcToken({ audience: AUDIENCE, subject: "system:serviceaccount:default:app", ...options })
    ),
    (token) => {
      const path = join(tempDir(), "token")
      writeFileSync(path, token)
      return path
    }
  )

const roleNamed = (mock: MockCloud.MockCloud, suffix: string) =>
  mock.alibaba.roles.find((r) => r.name.endsWith(suffix))!

const stsEnv = (mock: MockCloud.MockCloud) => ({ KUBECRED_ACK_STS_ENDPOINT: mock.alibaba.stsEndpoint })

/** A pod's environment under RRSA: the three variables, and STS pointed at the mock. */
const podEnv = (mock: MockCloud.MockCloud, path: string, role = mock.alibaba.roles[0]!.arn) => ({
  ALIBABA_CLOUD_ROLE_ARN: role,
  ALIBABA_CLOUD_OIDC_PROVIDER_ARN: mock.alibaba.oidcProviders[0]!.id,
  ALIBABA_CLOUD_OIDC_TOKEN_FILE: path,
  ...stsEnv(mock)
})

const ca = (mock: MockCloud.MockCloud) => ({ stsCa: readFileSync(mock.caFile, "utf8") })

const demoKey = (mock: MockCloud.MockCloud) => ({
  accessKeyId: mock.alibaba.accessKeyId,
  accessKeySecret: Redacted.make(mock.alibaba.accessKeySecret)
})

const homeWith = (files: Record<string, string>) => {
  const home = tempDir()
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(home, path, ".."), { recursive: true })
    writeFileSync(join(home, path), content)
  }
  return home
}

const cliConfig = (current: string, profiles: ReadonlyArray<Record<string, unknown>>) =>
  JSON.stringify({ current, profiles })

layer(mockLayer(), { excludeTestServices: true })("Alibaba STS sources", (it) => {
  it.effect("RRSA: the token exchanged for the role's session, after the environment's keys", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const path = yield* tokenFile(mock)
      const home = homeWith({
        ".aliyun/config.json": cliConfig("default", [
          { name: "default", mode: "AK", access_key_id: "LTAIcli", access_key_secret: "s" }
        ])
      })
      const found = yield* resolve({ ...ca(mock), home, env: podEnv(mock, path) })
      expect(found.source).toBe(`RRSA ${mock.alibaba.roles[0]!.arn} (ALIBABA_CLOUD_ROLE_ARN)`)
      expect(found.accessKeyId).toMatch(/^STS\./)
      expect(found.expiresAt!.getTime()).toBeGreaterThan(Date.now())
      const withEnv = yield* resolve({
        ...ca(mock),
        home,
        env: { ...podEnv(mock, path), ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIenv", ALIBABA_CLOUD_ACCESS_KEY_SECRET: "s" }
      })
      expect(withEnv.source).toBe("environment ALIBABA_CLOUD_ACCESS_KEY_ID")
    })
  )

  it.effect("failures name the step: token file missing, trust refused, token expired, CA not given", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const path = yield* tokenFile(mock)
      const token = readFileSync(path, "utf8")
      const home = "/nonexistent-kubecred-home"
      const missing = yield* Effect.flip(resolve({ ...ca(mock), home, env: podEnv(mock, "/nonexistent-kubecred/t") }))
      expect(missing._tag).toBe("CredentialsMissing")
      expect(missing.message).toContain("ALIBABA_CLOUD_OIDC_TOKEN_FILE points at /nonexistent-kubecred/t")

      const refused = yield* Effect.flip(
        resolve({ ...ca(mock), home, env: podEnv(mock, path, roleNamed(mock, "-key-only").arn) })
      )
      expect(refused._tag).toBe("AccessDenied")
      expect(refused.message).toContain("AuthenticationFail.NoPermission")
      expect(refused.message).toContain("ALIBABA_CLOUD_ROLE_ARN (RRSA")

      const expired = yield* Effect.flip(
        resolve({ ...ca(mock), home, env: podEnv(mock, yield* tokenFile(mock, { expiresInSeconds: -60 })) })
      )
      expect(expired._tag).toBe("AuthenticationFailed")
      expect(expired.message).toContain("AuthenticationFail.OIDCToken.Expired")

      const untrusted = yield* Effect.flip(resolve({ home, env: podEnv(mock, path) }))
      expect(untrusted._tag).toBe("CredentialsMissing")
      expect(untrusted.message).toContain("STS AssumeRoleWithOIDC")

      for (const error of [missing, refused, expired, untrusted]) {
        expect(error.message).not.toContain("\n")
        expect(JSON.stringify(error)).not.toContain(token)
      }
    })
  )

  it.effect("--role-arn: the found credentials assume the role (RPC-signed); refusals are decided", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const role = mock.alibaba.roles[0]!
      const base = { ...ca(mock), home: "/nonexistent-kubecred-home", env: stsEnv(mock) }
      const found = yield* resolve({ ...base, credentials: demoKey(mock), roleArn: role.arn, roleSessionName: "ci-7" })
      expect(found.source).toBe(`role ${role.arn} (--role-arn, from explicit credentials)`)
      expect(found.accessKeyId).toMatch(/^STS\./)
      expect(found.securityToken).toBeDefined()
      // from the instance role's STS credentials (SecurityToken in the signed request)
      const fromSts = yield* resolve({
        ...base,
        credentials: {
          accessKeyId: mock.alibaba.sts.accessKeyId,
          accessKeySecret: Redacted.make(mock.alibaba.sts.accessKeySecret),
          securityToken: Redacted.make(mock.alibaba.sts.securityToken)
        },
        roleArn: role.arn
      })
      expect(fromSts.accessKeyId).toMatch(/^STS\./)

      const refused = yield* Effect.flip(
        resolve({ ...base, credentials: demoKey(mock), roleArn: roleNamed(mock, "-oidc-only").arn })
      )
      expect(refused._tag).toBe("AccessDenied")
      expect(refused.message).toContain("NoPermission")
      expect(refused.message).toContain("--role-arn")
      const wrong = yield* Effect.flip(
        resolve({
          ...base,
          credentials: { ...demoKey(mock), accessKeySecret: Redacted.make("wrong") },
          roleArn: role.arn
        })
      )
      expect(wrong._tag).toBe("AuthenticationFailed")
      expect(wrong.message).toContain("SignatureDoesNotMatch")
      for (const error of [refused, wrong]) expect(error.message).not.toContain(mock.alibaba.accessKeySecret)
    })
  )

  it.effect("a transient STS failure is tried again (throttled, reset, HTTP 503); a refusal is not", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const assume = {
        ...ca(mock),
        home: "/nonexistent-kubecred-home",
        env: stsEnv(mock),
        credentials: demoKey(mock),
        roleArn: mock.alibaba.roles[0]!.arn
      }
      const throttled = {
        error: { code: "Throttling.User", status: 400, message: "Request was denied due to user flow control." }
      }
      yield* Effect.addFinalizer(() => Effect.sync(() => mock.setFaults([])))
      for (const fault of [throttled, { reset: true }, { httpStatus: 503 }]) {
        mock.setFaults([{ provider: "alibaba", action: "AssumeRole", count: 2, ...fault }])
        const before = yield* requestsSeen("AssumeRole")
        const found = yield* resolve(assume)
        expect(found.securityToken, JSON.stringify(fault)).toBeDefined()
        expect((yield* requestsSeen("AssumeRole")) - before, JSON.stringify(fault)).toBe(3)
      }
      // a role that does not trust the keys: refused after one request
      mock.setFaults([])
      let before = yield* requestsSeen("AssumeRole")
      const refused = yield* Effect.flip(resolve({ ...assume, roleArn: roleNamed(mock, "-oidc-only").arn }))
      expect(refused._tag).toBe("AccessDenied")
      expect((yield* requestsSeen("AssumeRole")) - before).toBe(1)
      // throttled for good: the first try and maxRetries more, then the last reason
      mock.setFaults([{ provider: "alibaba", action: "AssumeRole", ...throttled }])
      before = yield* requestsSeen("AssumeRole")
      const exhausted = yield* Effect.flip(resolve(assume))
      expect(exhausted._tag).toBe("CredentialsMissing")
      expect(exhausted.message).toContain("--role-arn")
      expect(exhausted.message).toContain("Throttling.User")
      expect((yield* requestsSeen("AssumeRole")) - before).toBe(3)
    }).pipe(
      Effect.provideService(RetryPolicy, { ...fastRetries, maxRetries: 2, maxDelay: Duration.millis(20) }),
      Effect.scoped
    )
  )

  it.effect("~/.alibabacloud/credentials: ram_role_arn, oidc_role_arn and credentials_uri", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const role = mock.alibaba.roles[0]!
      const path = yield* tokenFile(mock)
      const home = homeWith({
        ".alibabacloud/credentials": [
          "[default]",
          "type = ram_role_arn",
          `access_key_id = ${mock.alibaba.accessKeyId}`,
          `access_key_secret = ${mock.alibaba.accessKeySecret}`,
          `role_arn = ${role.arn}`,
          "role_session_name = file-session",
          "[oidc]",
          "type = oidc_role_arn",
          `role_arn = ${role.arn}`,
          `oidc_provider_arn = ${mock.alibaba.oidcProviders[0]!.id}`,
          `oidc_token_file_path = ${path}`,
          "[uri]",
          "type = credentials_uri",
          `credentials_uri = ${mock.alibaba.credentialsUri}`,
          "[refused]",
          "type = ram_role_arn",
          `access_key_id = ${mock.alibaba.accessKeyId}`,
          `access_key_secret = ${mock.alibaba.accessKeySecret}`,
          `role_arn = ${roleNamed(mock, "-oidc-only").arn}`
        ].join("\n")
      })
      const options = { ...ca(mock), home, env: stsEnv(mock) }
      const file = join(home, ".alibabacloud", "credentials")
      const ram = yield* resolve(options)
      expect(ram.source).toBe(`${file} [default] (role ${role.arn})`)
      const oidc = yield* resolve({ ...options, profile: "oidc" })
      expect(oidc.source).toBe(`${file} [oidc] (OIDC role ${role.arn})`)
      const uri = yield* resolve({ ...options, profile: "uri" })
      expect(uri.source).toBe(`${file} [uri]`)
      expect(uri.accessKeyId).toMatch(/^STS\./)
      const refused = yield* Effect.flip(resolve({ ...options, profile: "refused" }))
      expect(refused._tag).toBe("AccessDenied")
      expect(refused.message).toContain(`${file} [refused] (type ram_role_arn)`)
    })
  )

  it.effect("aliyun CLI modes RamRoleArn, ChainableRamRoleArn, OIDC, External, CredentialsURI", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const role = mock.alibaba.roles[0]!
      const path = yield* tokenFile(mock)
      const dir = tempDir()
      const script = join(dir, "print-credentials.mjs")
      writeFileSync(
        script,
        `process.stdout.write(JSON.stringify({mode: "AK", access_key_id: ${JSON.stringify(mock.alibaba.accessKeyId)}, access_key_secret: ${JSON.stringify(mock.alibaba.accessKeySecret)}}))`
      )
      const ak = {
        name: "ak",
        mode: "AK",
        access_key_id: mock.alibaba.accessKeyId,
        access_key_secret: mock.alibaba.accessKeySecret
      }
      const home = homeWith({
        ".aliyun/config.json": cliConfig("ram", [
          ak,
          { ...ak, name: "ram", mode: "RamRoleArn", ram_role_arn: role.arn, ram_session_name: "cli" },
          { name: "chained", mode: "ChainableRamRoleArn", source_profile: "ram", ram_role_arn: role.arn },
          { name: "loop", mode: "ChainableRamRoleArn", source_profile: "loop2", ram_role_arn: role.arn },
          { name: "loop2", mode: "ChainableRamRoleArn", source_profile: "loop", ram_role_arn: role.arn },
          {
            name: "oidc",
            mode: "OIDC",
            ram_role_arn: role.arn,
            oidc_provider_arn: mock.alibaba.oidcProviders[0]!.id,
            oidc_token_file: path
          },
          { name: "external", mode: "External", process_command: `"${process.execPath}" ${script}` },
          { name: "failing", mode: "External", process_command: `${process.execPath} -e "process.exit(3)"` },
          { name: "uri", mode: "CredentialsURI", credentials_uri: mock.alibaba.credentialsUri }
        ])
      })
      const config = join(home, ".aliyun", "config.json")
      const options = { ...ca(mock), home, env: stsEnv(mock) }
      const ram = yield* resolve(options)
      expect(ram.source).toBe(`${config} profile "ram" (role ${role.arn}, from ${config} profile "ram")`)
      const chained = yield* resolve({ ...options, profile: "chained" })
      expect(chained.source).toContain(
        `${config} profile "chained" (role ${role.arn}, from ${config} profile "ram" (role`
      )
      const loop = yield* Effect.flip(resolve({ ...options, profile: "loop" }))
      expect(loop.message).toContain('source_profile "loop" loops back')
      const oidc = yield* resolve({ ...options, profile: "oidc" })
      expect(oidc.accessKeyId).toMatch(/^STS\./)
      const external = yield* resolve({ ...options, profile: "external" })
      expect(external.accessKeyId).toBe(mock.alibaba.accessKeyId)
      expect(external.source).toBe(`${config} profile "external"`)
      const failing = yield* Effect.flip(resolve({ ...options, profile: "failing" }))
      expect(failing._tag).toBe("CredentialsMissing")
      expect(failing.message).toContain("failed (exit 3)")
      const uri = yield* resolve({ ...options, profile: "uri" })
      expect(uri.accessKeyId).toMatch(/^STS\./)
    })
  )

  it.effect("ALIBABA_CLOUD_CREDENTIALS_URI: last; an answer without credentials is CredentialsMissing", () =>
    Effect.gen(function* () {
      const mock = yield* MockCloudServer
      const home = "/nonexistent-kubecred-home"
      const found = yield* resolve({ home, env: { ALIBABA_CLOUD_CREDENTIALS_URI: mock.alibaba.credentialsUri } })
      expect(found.source).toBe("ALIBABA_CLOUD_CREDENTIALS_URI")
      expect(found.expiresAt).toBeDefined()
      const wrong = yield* Effect.flip(
        resolve({ home, env: { ALIBABA_CLOUD_CREDENTIALS_URI: `${mock.alibaba.credentialsUri}-nope` } })
      )
      expect(wrong._tag).toBe("CredentialsMissing")
      expect(wrong.message).toContain("ALIBABA_CLOUD_CREDENTIALS_URI (127.0.0.1")
    })
  )

  for (const transport of ["http", "sdk"] as const) {
    it.scoped(`RRSA and --role-arn sessions fetch a kubeconfig (${transport})`, () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const request: AlibabaFetchRequest = {
          _tag: "alibaba",
          region: "cn-hangzhou",
          clusterId: yield* runningCluster(),
          endpoint: "public"
        } as AlibabaFetchRequest
        const path = yield* tokenFile(mock)
        const home = "/nonexistent-kubecred-home"
        const pod = yield* scoped({
          ...ca(mock),
          home,
          env: podEnv(mock, path),
          endpoint: mock.alibaba.endpoint,
          transport
        })
        expect((yield* pod.fetch(request)).provenance.clusterId).toBe(request.clusterId)
        const assumed = yield* scoped({
          ...ca(mock),
          home,
          env: stsEnv(mock),
          credentials: demoKey(mock),
          roleArn: mock.alibaba.roles[0]!.arn,
          endpoint: mock.alibaba.endpoint,
          transport
        })
        expect((yield* assumed.fetch(request)).provenance.clusterId).toBe(request.clusterId)
      }).pipe(withPolicies)
    )

    it.scoped(`RRSA sessions are exchanged again before they expire, under TestClock (${transport})`, () =>
      Effect.gen(function* () {
        const mock = yield* MockCloudServer
        const request = {
          _tag: "alibaba",
          region: "cn-hangzhou",
          clusterId: yield* runningCluster(),
          endpoint: "public"
        } as AlibabaFetchRequest
        const path = yield* tokenFile(mock)
        // sessions of 400 s: fresh for 100 s; our clock moves less than the mock's skew allowance
        mock.setStsLifetime(400)
        yield* Effect.addFinalizer(() => Effect.sync(() => mock.setStsLifetime(undefined)))
        yield* TestClock.setTime(Date.now())
        const client = yield* scoped({
          ...ca(mock),
          home: "/nonexistent-kubecred-home",
          env: podEnv(mock, path),
          endpoint: mock.alibaba.endpoint,
          transport
        })
        const before = yield* requestsSeen("AssumeRoleWithOIDC")
        const exchanges = () => Effect.map(requestsSeen("AssumeRoleWithOIDC"), (n) => n - before)
        yield* client.fetch(request)
        yield* TestClock.adjust("1 second")
        yield* client.fetch(request)
        expect(yield* exchanges()).toBe(1)
        yield* TestClock.adjust("2 minutes")
        writeFileSync(path, readFileSync(yield* tokenFile(mock, { expiresInSeconds: -1 }), "utf8"))
        const stale = yield* Effect.flip(client.fetch(request))
        expect(stale._tag).toBe("AuthenticationFailed")
        writeFileSync(path, readFileSync(yield* tokenFile(mock), "utf8"))
        yield* TestClock.adjust("1 second")
        yield* client.fetch(request)
        expect(yield* exchanges()).toBe(3)
      }).pipe(withPolicies, Effect.provide(TestContext.TestContext))
    )
  }
})
