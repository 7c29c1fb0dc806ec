/**
 * End to end, keyless and assumed-role credentials: the bundled CLI as a separate process in a pod-like
 * environment (only the OIDC variables and a token file minted by the mock's issuer, the mock's ready file for
 * endpoints, STS and its CA) runs `add ack --exec` and `add tke --exec`, then real kubectl lists namespaces
 * through the plugin; --role-arn on get/list/add --exec; each chain step's failure is exit 3 with one line naming
 * the step, and no secret (keys, session tokens, OIDC tokens) in any output or file.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { type MockCloud, readyInfo } from "@kubecred/mock-cloud"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { ensureBuilt, removeTempDirs, requireKubectl, run, runCli, startMock, tempDir } from "./helpers.js"

let mock: MockCloud
let ready: string
let tke: { region: string; clusterId: string }
let ack: { region: string; clusterId: string }
const secrets: Array<string> = []

const mint = async (audience: string, options: { readonly expiresInSeconds?: number } = {}) => {
  const token = await mock.mintOidcToken({ audience, subject: "system:serviceaccount:default:app", ...options })
  secrets.push(token)
  const path = join(tempDir("token"), "token")
  fs.writeFileSync(path, token)
  return path
}

beforeAll(async () => {
  ensureBuilt()
  mock = await startMock()
  tke = mock.tencent.clusters.find((c) => c.status === "Running" && c.region === "ap-guangzhou")!
  ack = mock.alibaba.clusters.find((c) => c.state === "running" && c.region === "cn-hangzhou")!
  ready = join(tempDir("ready"), "ready.json")
  fs.writeFileSync(ready, JSON.stringify(readyInfo(mock)))
  secrets.push(
    mock.tencent.secretKey,
    mock.alibaba.accessKeySecret,
    mock.tencent.sts.secretKey,
    mock.tencent.sts.token,
    mock.alibaba.sts.accessKeySecret,
    mock.alibaba.sts.securityToken
  )
})

afterAll(async () => {
  await mock?.stop()
  removeTempDirs()
})

/** A pod: no keys at all, only what the platform injects, and the mock's ready file. */
const podEnv = (home: string, extra: Record<string, string | undefined>) => ({
  PATH: process.env.PATH,
  HOME: home,
  NO_COLOR: "1",
  KUBECRED_CACHE_DIR: join(home, "cache"),
  KUBECRED_RETRIES: "1",
  KUBECRED_MOCK_READY: ready,
  KUBECONFIG: join(home, "config"),
  ...extra
})

const tkePod = (home: string, tokenFile: string, role = mock.tencent.roles[0]!.arn) =>
  podEnv(home, {
    TKE_ROLE_ARN: role,
    TKE_PROVIDER_ID: mock.tencent.oidcProviders[0]!.id,
    TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
    TKE_REGION: tke.region
  })

const ackPod = (home: string, tokenFile: string, role = mock.alibaba.roles[0]!.arn) =>
  podEnv(home, {
    ALIBABA_CLOUD_ROLE_ARN: role,
    ALIBABA_CLOUD_OIDC_PROVIDER_ARN: mock.alibaba.oidcProviders[0]!.id,
    ALIBABA_CLOUD_OIDC_TOKEN_FILE: tokenFile
  })

const noSecrets = (...texts: ReadonlyArray<string>) => {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret)
}

const oneErrorLine = (stderr: string) => {
  expect(stderr.trimEnd().split("\n")).toHaveLength(1)
  expect(stderr).toMatch(/^kubecred: .+\n$/)
}

const roleNamed = (roles: ReadonlyArray<{ name: string; arn: string }>, suffix: string) =>
  roles.find((r) => r.name.endsWith(suffix))!.arn

describe("keyless pods and assumed roles", () => {
  for (const [provider, audience] of [
    ["ack", "sts.aliyuncs.com"],
    ["tke", "sts.cloud.tencent.com"]
  ] as const) {
    it(`a pod with only the OIDC variables: add ${provider} --exec, then kubectl through the plugin`, async () => {
      const home = tempDir(`pod-${provider}`)
      const tokenFile = await mint(audience)
      const env = provider === "tke" ? tkePod(home, tokenFile) : ackPod(home, tokenFile)
      const cluster = provider === "tke" ? tke : ack
      const exchange = provider === "tke" ? "tencent:AssumeRoleWithWebIdentity" : "alibaba:AssumeRoleWithOIDC"
      const exchanges = () => mock.stats().requests[exchange] ?? 0
      const before = exchanges()
      const out = await runCli(["add", provider, cluster.clusterId, "--region", cluster.region, "--exec"], env)
      expect(out.stderr).toBe("")
      expect(out.code).toBe(0)
      const file = fs.readFileSync(join(home, "config"), "utf8")
      const user = parse(file).users[0].user
      expect(user.exec.args).toContain("credential")
      expect(user.exec.env).toContainEqual({ name: "KUBECRED_MOCK_READY", value: ready })
      if (requireKubectl()) {
        // a cold cache: kubectl runs the plugin, which exchanges the pod's token itself
        const ns = await run("kubectl", ["get", "namespaces"], { ...env, KUBECRED_CACHE_DIR: join(home, "cold") })
        expect(ns.stderr).toBe("")
        expect(ns.code).toBe(0)
        expect(ns.stdout).toContain("kube-system")
        // add and the cold plugin each exchanged the pod's token: the demo key was not used
        expect(exchanges() - before).toBe(2)
      }
      noSecrets(out.stdout, out.stderr, file)
    })
  }

  it("each failing step is exit 3 with one line naming it: token file missing, trust refused, token expired", async () => {
    const home = tempDir("pod-failures")
    const good = await mint("sts.cloud.tencent.com")
    const expired = await mint("sts.cloud.tencent.com", { expiresInSeconds: -60 })
    const ackExpired = await mint("sts.aliyuncs.com", { expiresInSeconds: -60 })
    const get = (env: Record<string, string | undefined>, provider = "tke") =>
      runCli(
        [
          "get",
          provider,
          provider === "tke" ? tke.clusterId : ack.clusterId,
          "--region",
          provider === "tke" ? tke.region : ack.region
        ],
        env
      )
    const cases = [
      [await get(tkePod(home, join(home, "no-token"))), "TKE_WEB_IDENTITY_TOKEN_FILE points at"],
      [await get(tkePod(home, good, roleNamed(mock.tencent.roles, "-key-only"))), "UnauthorizedOperation"],
      [await get(tkePod(home, expired)), "InvalidParameter.WebIdentityTokenError"],
      [await get(ackPod(home, ackExpired), "ack"), "AuthenticationFail.OIDCToken.Expired"],
      [await get(ackPod(home, join(home, "no-token")), "ack"), "ALIBABA_CLOUD_OIDC_TOKEN_FILE points at"]
    ] as const
    for (const [out, says] of cases) {
      expect(out.code).toBe(3)
      oneErrorLine(out.stderr)
      expect(out.stderr).toContain(says)
      noSecrets(out.stdout, out.stderr)
    }
  })

  it("--role-arn on get, list and add --exec (the plugin's args carry it); a role refusing is exit 3", async () => {
    const home = tempDir("role")
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      NO_COLOR: "1",
      KUBECRED_CACHE_DIR: join(home, "cache"),
      KUBECRED_RETRIES: "1",
      KUBECONFIG: join(home, "config")
    }
    const role = mock.alibaba.roles[0]!.arn
    const get = await runCli(
      ["get", "ack", ack.clusterId, "--region", ack.region, "--mock-ready", ready, "--role-arn", role, "-o", "json"],
      env
    )
    expect(get.stderr).toBe("")
    expect(get.code).toBe(0)
    const list = await runCli(
      [
        "list",
        "tke",
        "--region",
        tke.region,
        "--mock-ready",
        ready,
        "--role-arn",
        mock.tencent.roles[0]!.arn,
        "-o",
        "json"
      ],
      env
    )
    expect(list.stderr).toBe("")
    expect(list.code).toBe(0)
    const add = await runCli(
      [
        "add",
        "tke",
        tke.clusterId,
        "--region",
        tke.region,
        "--mock-ready",
        ready,
        "--role-arn",
        mock.tencent.roles[0]!.arn,
        "--role-session-name",
        "e2e",
        "--exec"
      ],
      env
    )
    expect(add.stderr).toBe("")
    expect(add.code).toBe(0)
    const file = fs.readFileSync(join(home, "config"), "utf8")
    const args: Array<string> = parse(file).users[0].user.exec.args
    expect(args.slice(args.indexOf("--role-arn"), args.indexOf("--role-arn") + 4)).toEqual([
      "--role-arn",
      mock.tencent.roles[0]!.arn,
      "--role-session-name",
      "e2e"
    ])
    if (requireKubectl()) {
      const ns = await run("kubectl", ["get", "namespaces"], { ...env, KUBECRED_CACHE_DIR: join(home, "cold") })
      expect(ns.stderr).toBe("")
      expect(ns.code).toBe(0)
      expect(ns.stdout).toContain("kube-system")
    }
    const refused = await runCli(
      [
        "get",
        "ack",
        ack.clusterId,
        "--region",
        ack.region,
        "--mock-ready",
        ready,
        "--role-arn",
        roleNamed(mock.alibaba.roles, "-oidc-only")
      ],
      env
    )
    expect(refused.code).toBe(3)
    oneErrorLine(refused.stderr)
    expect(refused.stderr).toContain("--role-arn")
    expect(refused.stderr).toContain("NoPermission")
    noSecrets(get.stderr, list.stdout, add.stdout, add.stderr, file, refused.stderr)
  })
})
