/**
 * The bundled action run as the runner runs it (test/runner.ts) against the mock cloud: the main step writes a
 * kubeconfig into a 0700 directory under RUNNER_TEMP and exports KUBECONFIG, real kubectl lists namespaces with
 * it, and the post step removes it. Failures are one `::error::` annotation, exit 1, and no secret in the log.
 */
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { dirname, join } from "node:path"
import { type MockCloud, start } from "@kubecred/mock-cloud"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import {
  annotations,
  type Job,
  maskedValues,
  newJob,
  removeTempDirs,
  runStep,
  secretsOnlyMasked,
  type StepResult,
  startTokenEndpoint,
  type TokenEndpoint
} from "./runner.js"

const SUBJECT = "repo:octo-org/app:ref:refs/heads/main"

let mock: MockCloud
let tokens: TokenEndpoint
let tke: { region: string; clusterId: string }
let ack: { region: string; clusterId: string }
let tkeGone: { region: string; clusterId: string }
let ackGone: { region: string; clusterId: string }
const secrets: Array<string> = []

beforeAll(async () => {
  if (spawnSync("kubectl", ["version", "--client"]).status !== 0) throw new Error("kubectl is not on PATH")
  mock = await start({ port: 0 })
  tokens = await startTokenEndpoint(mock, SUBJECT)
  tke = mock.tencent.clusters.find((c) => c.status === "Running" && c.region === "ap-guangzhou")!
  ack = mock.alibaba.clusters.find((c) => c.state === "running")!
  tkeGone = mock.tencent.clusters.find((c) => c.status === "Deleted")!
  ackGone = mock.alibaba.clusters.find((c) => c.state === "deleted")!
  secrets.push(
    mock.tencent.secretKey,
    mock.alibaba.accessKeySecret,
    mock.tencent.sts.secretKey,
    mock.tencent.sts.token,
    mock.alibaba.sts.accessKeySecret,
    mock.alibaba.sts.securityToken,
    tokens.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  )
})

afterAll(async () => {
  await tokens?.close()
  await mock?.stop()
  removeTempDirs()
})

/** The job's environment: the mock's endpoints (the action reads kubecred's overrides) and its CA. */
const job = (extra: Record<string, string | undefined> = {}): Job =>
  newJob({
    KUBECRED_TKE_ENDPOINT: mock.tencent.endpoint,
    KUBECRED_ACK_ENDPOINT: mock.alibaba.endpoint,
    KUBECRED_TKE_STS_ENDPOINT: mock.tencent.stsEndpoint,
    KUBECRED_ACK_STS_ENDPOINT: mock.alibaba.stsEndpoint,
    KUBECRED_RETRIES: "1",
    NODE_EXTRA_CA_CERTS: mock.caFile,
    GITHUB_RUN_ID: "4242",
    ...extra
  })

const keyInputs = {
  tencent: () => ({ "secret-id": mock.tencent.secretId, "secret-key": mock.tencent.secretKey }),
  alibaba: () => ({ "access-key-id": mock.alibaba.accessKeyId, "access-key-secret": mock.alibaba.accessKeySecret })
}

/** Real kubectl, asynchronously: the mock's API server stub answers from this process. */
const kubectl = (args: ReadonlyArray<string>, kubeconfig: string, home: string) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn("kubectl", [...args], {
      env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: kubeconfig },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (status) => resolve({ status, stdout, stderr }))
  })

const allSecrets = () => [...secrets, ...tokens.minted]

/** No secret outside `::add-mask::`, nothing on stderr (no stack), and the secret key material masked. */
const cleanLog = (step: StepResult, extra: ReadonlyArray<string> = []) => {
  if (process.env.SHOW_LOGS) console.log(step.log)
  // what the action masked (STS sessions included) never shows elsewhere either
  expect(secretsOnlyMasked(step.log, [...allSecrets(), ...extra, ...maskedValues(step.log)])).toEqual([])
  expect(step.log).not.toMatch(/\n\s+at /)
}

/** A failed main step: one annotation matching `what`, exit 1, no secret, nothing written but the state. */
const failed = (step: StepResult, what: RegExp) => {
  expect(step.code).toBe(1)
  const errors = annotations(step.log)
  expect(errors).toHaveLength(1)
  if (process.env.SHOW_ANNOTATIONS) console.log(errors[0])
  expect(errors[0]).toMatch(what)
  expect(step.stderr).toBe("")
  expect(step.exported.KUBECONFIG).toBeUndefined()
  expect(step.outputs).toEqual({})
  cleanLog(step)
}

/** Main step, kubectl through the exported KUBECONFIG, then the post step; returns the main step. */
const roundTrip = async (j: Job, inputs: Record<string, string>, namespace = "default") => {
  const main = await runStep(j, { inputs })
  expect(main.stderr).toBe("")
  expect(annotations(main.log)).toEqual([])
  expect(main.code).toBe(0)
  const file = main.exported.KUBECONFIG!
  expect(main.outputs.kubeconfig).toBe(file)
  expect(main.exported.KUBE_CONFIG_PATH).toBe(file)
  // a fresh 0700 directory under RUNNER_TEMP, the file 0600, never ~/.kube
  expect(dirname(dirname(file))).toBe(j.runnerTemp)
  expect(fs.statSync(dirname(file)).mode & 0o777).toBe(0o700)
  expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  expect(fs.existsSync(join(j.home, ".kube"))).toBe(false)
  expect(fs.readdirSync(dirname(file))).toEqual(["kubeconfig"])
  const doc = parse(fs.readFileSync(file, "utf8"))
  expect(doc["current-context"]).toBe(main.outputs.context)
  expect(doc.contexts).toHaveLength(1)
  expect(doc.contexts[0].context.namespace).toBe(inputs.namespace)
  // the client key is masked before anything else is printed, and never printed otherwise
  const key = doc.users[0].user["client-key-data"] as string
  expect(maskedValues(main.log)).toContain(key)
  const firstOther = main.log.split("\n").findIndex((line) => !line.startsWith("::add-mask::"))
  expect(
    main.log
      .split("\n")
      .slice(firstOther)
      .some((line) => line.startsWith("::add-mask::"))
  ).toBe(false)
  cleanLog(main, [key])

  const listed = await kubectl(["get", "namespaces", "-o", "name"], file, j.home)
  expect(listed.stderr).toBe("")
  expect(listed.status).toBe(0)
  expect(listed.stdout).toContain(`namespace/${namespace}`)
  const current = await kubectl(["config", "current-context"], file, j.home)
  expect(current.stdout.trim()).toBe(main.outputs.context)

  const post = await runStep(j, { state: main.state })
  expect(post.code).toBe(0)
  expect(post.stderr).toBe("")
  expect(fs.existsSync(file)).toBe(false)
  expect(fs.existsSync(dirname(file))).toBe(false)
  expect(fs.readdirSync(j.runnerTemp).filter((name) => name.startsWith("kubecred-"))).toEqual([])
  return main
}

describe("with the key inputs (the fallback without OIDC)", () => {
  it("TKE: kubeconfig, KUBECONFIG, outputs; kubectl lists namespaces; the post step removes it", async () => {
    const main = await roundTrip(job(), {
      provider: "tke",
      "cluster-id": tke.clusterId,
      region: tke.region,
      "context-name": "ci-tke",
      namespace: "apps",
      ...keyInputs.tencent()
    })
    expect(main.outputs.context).toBe("ci-tke")
    // TKE's client certificate expiry
    expect(Date.parse(main.outputs["expires-at"]!)).toBeGreaterThan(Date.now())
  })

  it("ACK: a temporary kubeconfig of `ttl`, default context name", async () => {
    const before = Date.now()
    const main = await roundTrip(job(), {
      provider: "ack",
      "cluster-id": ack.clusterId,
      region: ack.region,
      ttl: "2h",
      ...keyInputs.alibaba()
    })
    expect(main.outputs.context).toBe(`alibaba-${ack.region}-${ack.clusterId}`)
    const expires = Date.parse(main.outputs["expires-at"]!)
    expect(expires).toBeGreaterThan(before + 90 * 60_000)
    expect(expires).toBeLessThan(before + 3 * 3600_000)
  })

  it("ACK's default ttl is 1h", async () => {
    const before = Date.now()
    const j = job()
    const main = await runStep(j, {
      inputs: { provider: "ack", "cluster-id": ack.clusterId, region: ack.region, ...keyInputs.alibaba() }
    })
    expect(main.code).toBe(0)
    const expires = Date.parse(main.outputs["expires-at"]!)
    expect(expires).toBeGreaterThan(before + 50 * 60_000)
    expect(expires).toBeLessThan(before + 70 * 60_000)
    await runStep(j, { state: main.state })
    expect(fs.existsSync(main.exported.KUBECONFIG!)).toBe(false)
  })

  it("private: true points the kubeconfig at the cluster's private address", async () => {
    const j = job()
    const inputs = { provider: "tke", "cluster-id": tke.clusterId, region: tke.region, ...keyInputs.tencent() }
    const server = async (extra: Record<string, string>) => {
      const main = await runStep(j, { inputs: { ...inputs, ...extra } })
      expect(main.code).toBe(0)
      const doc = parse(fs.readFileSync(main.outputs.kubeconfig!, "utf8"))
      await runStep(j, { state: main.state })
      return doc.clusters[0].cluster.server as string
    }
    const [publicServer, privateServer] = [await server({}), await server({ private: "true" })]
    expect(publicServer).toBe(mock.apiserver)
    expect(privateServer).not.toBe(publicServer)
    failed(await runStep(j, { inputs: { ...inputs, private: "yes" } }), /input private: "yes" is not a boolean/)
  })

  it("with role-arn, the keys assume the role (AssumeRole) and the session is what fetches the kubeconfig", async () => {
    const before = mock.stats().requests["tencent:AssumeRole"] ?? 0
    const main = await roundTrip(job(), {
      provider: "tke",
      "cluster-id": tke.clusterId,
      region: tke.region,
      "role-arn": mock.tencent.roles[0]!.arn,
      ...keyInputs.tencent()
    })
    expect(mock.stats().requests["tencent:AssumeRole"]).toBe(before + 1)
    expect(maskedValues(main.log).filter((value) => value.startsWith("AKID"))).toHaveLength(1)
  })

  it("a role whose trust policy refuses the keys: the annotation says so", async () => {
    const refusing = mock.alibaba.roles.find((role) => role.name.endsWith("-oidc-only"))!
    const main = await runStep(job(), {
      inputs: {
        provider: "ack",
        "cluster-id": ack.clusterId,
        region: ack.region,
        "role-arn": refusing.arn,
        ...keyInputs.alibaba()
      }
    })
    failed(main, /the role .*-oidc-only refused the key inputs' identity \(NoPermission\): its trust policy must trust/)
  })

  it("two clusters in one job: two files, each step's post removes only its own", async () => {
    const j = job()
    const first = await runStep(j, {
      inputs: { provider: "tke", "cluster-id": tke.clusterId, region: tke.region, ...keyInputs.tencent() }
    })
    const second = await runStep(j, {
      inputs: { provider: "ack", "cluster-id": ack.clusterId, region: ack.region, ...keyInputs.alibaba() }
    })
    expect([first.code, second.code]).toEqual([0, 0])
    const [a, b] = [first.outputs.kubeconfig!, second.outputs.kubeconfig!]
    expect(dirname(a)).not.toBe(dirname(b))
    await runStep(j, { state: second.state })
    expect(fs.existsSync(b)).toBe(false)
    expect(fs.existsSync(a)).toBe(true)
    await runStep(j, { state: first.state })
    expect(fs.existsSync(a)).toBe(false)
  })

  it("the post step removes nothing but a kubecred directory under RUNNER_TEMP", async () => {
    const j = job()
    const outside = fs.mkdtempSync(join(j.home, "kubecred-"))
    const post = await runStep(j, { state: { isPost: "true", kubecred_dir: outside } })
    expect(post.code).toBe(0)
    expect(post.log).toMatch(/^::warning::kubecred: left .* alone/m)
    expect(fs.existsSync(outside)).toBe(true)
  })

  it("an unknown cluster: the annotation names cluster-id and region; the post step still cleans up", async () => {
    for (const [provider, gone] of [
      ["tke", tkeGone],
      ["ack", ackGone]
    ] as const) {
      const j = job()
      const keys = provider === "tke" ? keyInputs.tencent() : keyInputs.alibaba()
      const main = await runStep(j, {
        inputs: { provider, "cluster-id": gone.clusterId, region: gone.region, ...keys }
      })
      failed(
        main,
        new RegExp(`cluster ${gone.clusterId} in ${gone.region} was not found.*check the cluster-id and region`)
      )
      const dir = main.state.kubecred_dir!
      expect(fs.existsSync(dir)).toBe(true)
      const post = await runStep(j, { state: main.state })
      expect(post.code).toBe(0)
      expect(fs.existsSync(dir)).toBe(false)
    }
  })

  it("a wrong secret key is refused in one line, and the wrong key is never printed", async () => {
    const wrong = `${mock.tencent.secretKey.slice(0, -4)}abcd`
    const main = await runStep(job(), {
      inputs: {
        provider: "tke",
        "cluster-id": tke.clusterId,
        region: tke.region,
        "secret-id": mock.tencent.secretId,
        "secret-key": wrong
      }
    })
    failed(main, /the cloud refused the credentials: .*AuthFailure.SignatureFailure.*; check the key inputs$/)
    expect(maskedValues(main.log)).toContain(wrong)
    cleanLog(main, [wrong])
  })
})

describe("bad inputs", () => {
  it("half a key pair, an unknown provider, a bad ttl: one line each, the secret masked", async () => {
    const half = await runStep(job(), {
      inputs: { provider: "ack", "cluster-id": ack.clusterId, region: ack.region, "access-key-secret": "s3cr3t-value" }
    })
    failed(half, /inputs access-key-id and access-key-secret go together/)
    expect(maskedValues(half.log)).toEqual(["s3cr3t-value"])
    cleanLog(half, ["s3cr3t-value"])
    failed(
      await runStep(job(), { inputs: { provider: "gke", "cluster-id": "x", region: "y" } }),
      /provider: "gke" is not tke or ack/
    )
    failed(
      await runStep(job(), {
        inputs: { provider: "ack", "cluster-id": ack.clusterId, region: ack.region, ttl: "5m", ...keyInputs.alibaba() }
      }),
      /input ttl: ACK temporary kubeconfigs last 15m to 3d/
    )
  })

  it("outside a runner (no RUNNER_TEMP) it says so", async () => {
    const j = job({ RUNNER_TEMP: undefined })
    failed(
      await runStep(j, {
        inputs: { provider: "tke", "cluster-id": tke.clusterId, region: tke.region, ...keyInputs.tencent() }
      }),
      /RUNNER_TEMP is not set/
    )
  })
})

describe("keyless", () => {
  const keyless = (provider: "tke" | "ack", role = 0) => {
    const cloud = provider === "tke" ? mock.tencent : mock.alibaba
    const cluster = provider === "tke" ? tke : ack
    return {
      provider,
      "cluster-id": cluster.clusterId,
      region: cluster.region,
      "role-arn": cloud.roles[role]!.arn,
      "oidc-provider": cloud.oidcProviders[0]!.id
    }
  }

  it("without the token variables (no `id-token: write`): the annotation says to add the permission", async () => {
    for (const provider of ["tke", "ack"] as const) {
      const j = job()
      const main = await runStep(j, { inputs: keyless(provider) })
      failed(main, /no OIDC token: the job lacks `permissions: id-token: write`/)
      // nothing was created, and the post step has nothing to do
      expect(fs.readdirSync(j.runnerTemp).filter((name) => name.startsWith("kubecred-"))).toEqual([])
      const post = await runStep(j, { state: main.state })
      expect(post.code).toBe(0)
    }
  })

  describe("through the chains' OIDC sources (TKE_* / ALIBABA_CLOUD_* handed to the chain)", () => {
    const stat = (key: string) => mock.stats().requests[key] ?? 0

    it("TKE: the runner's token for sts.cloud.tencent.com, AssumeRoleWithWebIdentity, kubectl, the post step", async () => {
      const minted = tokens.minted.length
      const before = stat("tencent:AssumeRoleWithWebIdentity")
      // a stray key in the job's environment is not what the keyless step uses
      const j = job({ ...tokens.env, TENCENTCLOUD_SECRET_ID: "AKIDstray", TENCENTCLOUD_SECRET_KEY: "stray-secret" })
      const main = await roundTrip(j, { ...keyless("tke"), namespace: "ci" })
      expect(tokens.audiences.at(-1)).toBe("sts.cloud.tencent.com")
      expect(tokens.minted.length).toBe(minted + 1)
      expect(maskedValues(main.log)).toContain(tokens.minted.at(-1))
      expect(stat("tencent:AssumeRoleWithWebIdentity")).toBe(before + 1)
      // the STS session (SecretId, SecretKey, token) is masked as soon as the chain hands it over
      expect(maskedValues(main.log).filter((value) => value.startsWith("AKID"))).toHaveLength(1)
      expect(main.log).toContain(`keyless as ${mock.tencent.roles[0]!.arn}`)
    })

    it("ACK: the runner's token for sts.aliyuncs.com, AssumeRoleWithOIDC, a temporary kubeconfig, the post step", async () => {
      const before = stat("alibaba:AssumeRoleWithOIDC")
      const main = await roundTrip(job(tokens.env), { ...keyless("ack"), audience: "sts.aliyuncs.com" })
      expect(tokens.audiences.at(-1)).toBe("sts.aliyuncs.com")
      expect(stat("alibaba:AssumeRoleWithOIDC")).toBe(before + 1)
      expect(maskedValues(main.log).filter((value) => value.startsWith("STS."))).toHaveLength(1)
      expect(Date.parse(main.outputs["expires-at"]!)).toBeLessThan(Date.now() + 70 * 60_000)
    })

    it("a trust policy refusing the token: the annotation names the role, provider, audience and subject", async () => {
      for (const provider of ["tke", "ack"] as const) {
        const cloud = provider === "tke" ? mock.tencent : mock.alibaba
        const refusing = cloud.roles.findIndex((role) => role.name.endsWith("-key-only"))
        expect(refusing).toBeGreaterThan(0)
        const j = job(tokens.env)
        const main = await runStep(j, { inputs: keyless(provider, refusing) })
        failed(
          main,
          new RegExp(
            `the role ${cloud.roles[refusing]!.arn.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} refused the GitHub OIDC token.*trust policy must allow the OIDC provider .*subject ${SUBJECT}`
          )
        )
        expect(maskedValues(main.log)).toContain(tokens.minted.at(-1))
        // the token file went with the failure; the post step removes the rest
        expect(fs.readdirSync(main.state.kubecred_dir!)).toEqual([])
        await runStep(j, { state: main.state })
        expect(fs.existsSync(main.state.kubecred_dir!)).toBe(false)
      }
    })

    it("an unknown cluster, keyless", async () => {
      const main = await runStep(job(tokens.env), {
        inputs: { ...keyless("ack"), "cluster-id": ackGone.clusterId, region: ackGone.region }
      })
      failed(main, new RegExp(`cluster ${ackGone.clusterId} in ${ackGone.region} was not found`))
    })
  })

  it("keyless inputs missing: role-arn is named", async () => {
    const { "role-arn": _, ...inputs } = keyless("tke")
    failed(
      await runStep(job(tokens.env), { inputs }),
      /input role-arn is required for keyless OIDC \(or give the key inputs instead\)/
    )
  })
})
