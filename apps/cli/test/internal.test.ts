import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as Cache from "../src/internal/credentialCache.js"
import { parseCredentialArgs, serveFromCache } from "../src/internal/credentialFast.js"
import { renderDefect, renderFailure, scrub } from "../src/internal/errors.js"
import { EXEC_API_V1, EXEC_API_V1BETA1, readExecInfo } from "../src/internal/execInfo.js"
import { ExitCode, exitCodeFor } from "../src/internal/exitCode.js"
import { resolveIdentity } from "../src/internal/identity.js"
import { colorEnabled, formatRemaining, globToRegExp, table, urgency } from "../src/internal/output.js"

const tagged = (tag: string, message: string) => Object.assign(new Error(message), { _tag: tag })

describe("exit codes", () => {
  it("maps every taxonomy tag to its documented code", () => {
    expect(exitCodeFor("InvalidInput")).toBe(2)
    for (const tag of ["CredentialsMissing", "AuthenticationFailed", "AccessDenied"]) expect(exitCodeFor(tag)).toBe(3)
    expect(exitCodeFor("ClusterNotFound")).toBe(4)
    for (const tag of ["Throttled", "ProviderInternal", "Transport", "ClusterUnavailable"]) {
      expect(exitCodeFor(tag)).toBe(5)
    }
    for (const tag of ["KubeconfigUnreadable", "KubeconfigLocked", "KubeconfigWriteFailed", "KubeconfigConflict"]) {
      expect(exitCodeFor(tag)).toBe(6)
    }
    expect(exitCodeFor("MalformedResponse")).toBe(1)
    expect(exitCodeFor("Whatever")).toBe(ExitCode.Other)
  })
})

describe("error rendering", () => {
  it("prints one line with a hint", () => {
    const r = renderFailure(tagged("ClusterNotFound", "tencent DescribeClusterKubeconfig:\nno such cluster"))
    expect(r.code).toBe(4)
    expect(r.line).not.toContain("\n")
    expect(r.line).toMatch(/^kubecred: tencent DescribeClusterKubeconfig: no such cluster \(hint: .+\)$/)
  })
  it("never prints a secret from the environment", () => {
    const env = { TENCENTCLOUD_SECRET_KEY: "sUpErSeCrEt123", TENCENTCLOUD_SECRET_ID: "AKIDvisible" }
    expect(scrub("key sUpErSeCrEt123 id AKIDvisible", env)).toBe("key *** id AKIDvisible")
  })
  it("renders defects as internal errors with exit 1 and no stack", () => {
    const r = renderDefect(new TypeError("boom"))
    expect(r.code).toBe(1)
    expect(r.line).toBe("kubecred: internal error: TypeError: boom (hint: rerun with --verbose and report it)")
  })
})

describe("exec info", () => {
  it("defaults to v1 and honours v1beta1", () => {
    expect(readExecInfo(undefined)).toMatchObject({ _tag: "ok", apiVersion: EXEC_API_V1 })
    expect(
      readExecInfo(
        JSON.stringify({ apiVersion: EXEC_API_V1BETA1, kind: "ExecCredential", spec: { interactive: false } })
      )
    ).toMatchObject({ _tag: "ok", apiVersion: EXEC_API_V1BETA1 })
    expect(readExecInfo('{"apiVersion":"client.authentication.k8s.io/v1alpha1"}')._tag).toBe("invalid")
    expect(readExecInfo("{nope")._tag).toBe("invalid")
  })
})

describe("output", () => {
  it("colour only on a TTY without NO_COLOR", () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true)
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    expect(colorEnabled({ isTTY: false }, {})).toBe(false)
  })
  it("aligns tables and formats time left", () => {
    expect(table(["A", "BB"], [["xxx", "y"]])).toBe("A     BB\nxxx   y")
    expect(formatRemaining(90 * 60_000)).toBe("1h30m")
    expect(formatRemaining(-2 * 3_600_000)).toBe("expired 2h0m ago")
    expect(formatRemaining(20 * 365 * 86_400_000)).toBe("20y0d")
    expect(urgency(3_600_000)).toBe("red")
    expect(urgency(3 * 86_400_000)).toBe("yellow")
    expect(urgency(30 * 86_400_000)).toBeUndefined()
    expect(globToRegExp("prod-*").test("prod-a")).toBe(true)
    expect(globToRegExp("prod-?").test("prod-ab")).toBe(false)
  })
})

describe("credential cache", () => {
  const dir = fs.mkdtempSync(join(tmpdir(), "kubecred-cache-"))
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))
  const key: Cache.CacheKey = {
    provider: "alibaba",
    region: "cn-hangzhou",
    clusterId: "c5b5e80b0b64a4bf6939d2d8fbbc5ab12",
    endpointKind: "public",
    apiEndpoint: "http://127.0.0.1:1",
    identity: "LTAIkey"
  }
  const now = Date.UTC(2026, 0, 1)
  const entry = (fetchedAt: number, expiresAt: number): Cache.CacheEntry => ({
    version: 1,
    provider: key.provider,
    region: key.region,
    clusterId: key.clusterId,
    endpointKind: key.endpointKind,
    identityHash: Cache.identityHash(key),
    clientCertificateData: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n",
    // a placeholder, not a key: the cache stores whatever PEM text it is given
    clientKeyData: ["-----BEGIN", "PRIVATE KEY-----\ny\n-----END", "PRIVATE KEY-----\n"].join(" "),
    fetchedAt,
    expiresAt,
    sources: []
  })

  it("refreshes when less than max(20% of the lifetime, 10 minutes) remains", () => {
    const threeHours = entry(now, now + 3 * 3_600_000)
    expect(Cache.refreshAt(threeHours)).toBe(now + 3 * 3_600_000 - 0.2 * 3 * 3_600_000)
    const thirtyMinutes = entry(now, now + 30 * 60_000)
    expect(Cache.refreshAt(thirtyMinutes)).toBe(now + 20 * 60_000)
    const twentyYears = entry(now, now + 20 * 365 * 86_400_000)
    expect(Cache.advertisedExpiry(twentyYears, now)).toBe(now + 3_600_000)
  })

  it("writes 0600 in a 0700 directory and reads back only for the same identity", () => {
    const path = Cache.cachePath(key, join(dir, "nested"))!
    Cache.write(path, entry(now, now + 3 * 3_600_000))
    expect(fs.statSync(path).mode & 0o777).toBe(0o600)
    expect(fs.statSync(join(dir, "nested")).mode & 0o777).toBe(0o700)
    expect(Cache.readFresh(path, key, now + 60_000)).toBeDefined()
    expect(Cache.readFresh(path, { ...key, identity: "other" }, now)).toBeUndefined()
    expect(Cache.readFresh(path, key, now + 2.5 * 3_600_000)).toBeUndefined()
    expect(fs.readFileSync(path, "utf8")).not.toContain("LTAIkey")
    expect(Cache.evict(join(dir, "nested"), "alibaba", key.clusterId)).toBe(1)
  })

  it("refuses ids that are not plain", () => {
    expect(Cache.cachePath({ ...key, clusterId: "../../etc" }, dir)).toBeUndefined()
  })

  it("serves the fast path from a warm entry and falls through otherwise", () => {
    const env = {
      KUBECRED_CACHE_DIR: dir,
      ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIkey",
      KUBECRED_ACK_ENDPOINT: key.apiEndpoint
    }
    const argv = ["credential", "ack", key.clusterId, "--region", key.region]
    let out = ""
    expect(serveFromCache(argv, env, (t) => (out += t), now)).toBe(false)
    Cache.write(Cache.cachePath(key, dir)!, entry(now, now + 3 * 3_600_000))
    expect(serveFromCache(argv, env, (t) => (out += t), now)).toBe(true)
    const cred = JSON.parse(out)
    expect(cred).toMatchObject({ kind: "ExecCredential", apiVersion: EXEC_API_V1 })
    expect(cred.status.clientKeyData).toContain("PRIVATE KEY")
    expect(cred.status.expirationTimestamp).toBe("2026-01-01T01:00:00Z")
    out = ""
    expect(
      serveFromCache(
        argv,
        { ...env, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: EXEC_API_V1BETA1 }) },
        (t) => (out += t),
        now
      )
    ).toBe(true)
    expect(JSON.parse(out).apiVersion).toBe(EXEC_API_V1BETA1)
    expect(serveFromCache([...argv, "--private"], env, () => {}, now)).toBe(false)
    expect(serveFromCache([...argv, "--help"], env, () => {}, now)).toBe(false)
    expect(serveFromCache(argv, { ...env, ALIBABA_CLOUD_ACCESS_KEY_ID: "other" }, () => {}, now)).toBe(false)
  })

  it("parses credential argv strictly", () => {
    expect(parseCredentialArgs(["credential", "tke", "cls-abcdefgh", "--region=ap-guangzhou", "--private"])).toEqual({
      provider: "tencent",
      clusterId: "cls-abcdefgh",
      region: "ap-guangzhou",
      private: true,
      apiEndpoint: undefined,
      profile: undefined,
      mockReady: undefined
    })
    expect(parseCredentialArgs(["credential", "gke", "x"])).toBeUndefined()
    expect(parseCredentialArgs(["credential", "tke", "x", "--region"])).toBeUndefined()
    expect(parseCredentialArgs(["credential", "tke", "x", "-v"])).toBeUndefined()
  })

  it("keys identity by profile when no key id is in the environment", () => {
    const id = resolveIdentity({ provider: "tencent", profile: "prod" }, { HOME: dir })!
    expect(id.identity).toBe("profile:prod")
    expect(id.apiEndpoint).toBe("default")
    expect(id.sources.length).toBeGreaterThan(0)
  })

  it("an instance role is part of the identity, so two roles never share a cached credential", () => {
    const tke = resolveIdentity({ provider: "tencent" }, { HOME: dir, TENCENTCLOUD_CAM_ROLE_NAME: "ci" })!
    expect(tke.identity).toBe("profile:default role:ci")
    const ack = (role: string) =>
      resolveIdentity({ provider: "alibaba" }, { HOME: dir, ALIBABA_CLOUD_ECS_METADATA: role })!.identity
    expect(ack("a")).not.toBe(ack("b"))
  })

  it("--role-arn and a pod's OIDC role are part of the identity, so each role has its own cached credential", () => {
    const argv = ["credential", "ack", "c1", "--region", "cn-hangzhou", "--role-arn", "acs:ram::1:role/a"]
    const parsed = parseCredentialArgs([...argv, "--role-session-name", "s"])!
    expect(parsed.roleArn).toBe("acs:ram::1:role/a")
    const env = { HOME: dir, ALIBABA_CLOUD_ACCESS_KEY_ID: "LTAIx" }
    const assumed = (role: string | undefined) => resolveIdentity({ provider: "alibaba", roleArn: role }, env)!.identity
    expect(assumed(undefined)).toBe("LTAIx")
    expect(assumed("acs:ram::1:role/a")).toBe("LTAIx assume:acs:ram::1:role/a")
    expect(assumed("acs:ram::1:role/a")).not.toBe(assumed("acs:ram::1:role/b"))
    const pod = (role: string) =>
      resolveIdentity(
        { provider: "tencent" },
        { HOME: dir, TKE_ROLE_ARN: role, TKE_PROVIDER_ID: "p", TKE_WEB_IDENTITY_TOKEN_FILE: "/t", TKE_REGION: "r" }
      )!.identity
    expect(pod("qcs::cam::uin/1:roleName/a")).toBe("profile:default oidc:qcs::cam::uin/1:roleName/a")
    expect(pod("qcs::cam::uin/1:roleName/a")).not.toBe(pod("qcs::cam::uin/1:roleName/b"))
    const rrsa = resolveIdentity(
      { provider: "alibaba" },
      {
        HOME: dir,
        ALIBABA_CLOUD_ROLE_ARN: "acs:ram::1:role/p",
        ALIBABA_CLOUD_OIDC_PROVIDER_ARN: "x",
        ALIBABA_CLOUD_OIDC_TOKEN_FILE: "/t"
      }
    )!
    expect(rrsa.identity).toBe("oidc:acs:ram::1:role/p")
  })
})

describe("cache identity hash", () => {
  it("is 64-bit FNV-1a (the published test vectors) and tells identities and endpoints apart", () => {
    expect(Cache.fnv1a64("")).toBe("cbf29ce484222325")
    expect(Cache.fnv1a64("a")).toBe("af63dc4c8601ec8c")
    expect(Cache.fnv1a64("foobar")).toBe("85944171f73967e8")
    const a = Cache.identityHash({ identity: "AKID1", apiEndpoint: "default" })
    expect(a).toMatch(/^[0-9a-f]{16}$/)
    expect(Cache.identityHash({ identity: "AKID2", apiEndpoint: "default" })).not.toBe(a)
    expect(Cache.identityHash({ identity: "AKID1", apiEndpoint: "https://x" })).not.toBe(a)
  })
})
