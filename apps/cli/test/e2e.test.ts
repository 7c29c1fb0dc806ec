/**
 * End to end: the bundled CLI as a separate process against the mock cloud (started here), checking files
 * and output; real kubectl then answers through the contexts written by `add` and by `add --exec`
 * (kubectl -> kubecred credential -> mock).
 */
import * as fs from "node:fs"
import { join } from "node:path"
import type { MockCloud } from "@kubecred/mock-cloud"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { cliEnv, ensureBuilt, removeTempDirs, requireKubectl, run, runCli, startMock, tempDir } from "./helpers.js"

let mock: MockCloud
let tke: { region: string; clusterId: string }
let ack: { region: string; clusterId: string }
const secrets: Array<string> = []

beforeAll(async () => {
  ensureBuilt()
  mock = await startMock()
  tke = mock.tencent.clusters.find((c) => c.status === "Running" && c.region === "ap-guangzhou")!
  ack = mock.alibaba.clusters.find((c) => c.state === "running" && c.region === "cn-hangzhou")!
  secrets.push(mock.tencent.secretKey, mock.alibaba.accessKeySecret)
})

afterAll(async () => {
  await mock?.stop()
  removeTempDirs()
})

const noSecrets = (...texts: ReadonlyArray<string>) => {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret)
}

const oneErrorLine = (stderr: string) => {
  expect(stderr.endsWith("\n")).toBe(true)
  expect(stderr.trimEnd().split("\n")).toHaveLength(1)
  expect(stderr).toMatch(/^kubecred: .+ \(hint: .+\)\n$/)
}

const kubectl = (args: ReadonlyArray<string>, env: Record<string, string | undefined>) => run("kubectl", args, env)

describe("kubecred against the mock cloud", () => {
  it("get prints the kubeconfig and writes nothing", async () => {
    const home = tempDir("get")
    const out = await runCli(["get", "tke", tke.clusterId, "--region", tke.region, "-o", "json"], cliEnv(mock, home))
    expect(out.stderr).toBe("")
    expect(out.code).toBe(0)
    const doc = JSON.parse(out.stdout)
    expect(doc.clusters[0].cluster.server).toMatch(/^https:\/\//)
    expect(doc.users[0].user["client-certificate-data"]).toBeDefined()
    expect(fs.existsSync(join(home, ".kube"))).toBe(false)
    const yaml = await runCli(["get", "tencent", tke.clusterId, "--region", tke.region], cliEnv(mock, home))
    expect(parse(yaml.stdout).kind).toBe("Config")
  })

  it("add merges into ~/.kube/config (0600), sets the current context, and kubectl uses it", async () => {
    const home = tempDir("add")
    const env = cliEnv(mock, home)
    const out = await runCli(["add", "tke", tke.clusterId, "--region", tke.region], env)
    expect(out.stderr).toBe("")
    expect(out.code).toBe(0)
    const context = `tencent-${tke.region}-${tke.clusterId}`
    expect(out.stdout).toContain(`added context "${context}"`)
    const file = join(home, ".kube", "config")
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    const doc = parse(fs.readFileSync(file, "utf8"))
    expect(doc["current-context"]).toBe(context)
    expect(doc.contexts[0].context.extensions[0].name).toBe("kubecred.io/provenance")

    const again = await runCli(["add", "tke", tke.clusterId, "--region", tke.region, "-o", "json"], env)
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({ context: context, path: file })

    // TKE's 20-year certificate embedded in the file is flagged
    const status = await runCli(["status"], env)
    expect(status.stdout).toContain("(long-lived key in file)")
    const statusJson = await runCli(["status", "-o", "json"], env)
    expect(JSON.parse(statusJson.stdout)[0]).toMatchObject({
      name: context,
      credential: "certificate",
      longLived: true
    })

    if (requireKubectl()) {
      const ns = await kubectl(["get", "namespaces", "--context", context], { PATH: env.PATH, HOME: home })
      expect(ns.stderr).toBe("")
      expect(ns.code).toBe(0)
      expect(ns.stdout).toMatch(/^NAME\s+STATUS\s+AGE/)
      expect(ns.stdout).toContain("kube-system")
    }
    noSecrets(out.stdout, out.stderr, fs.readFileSync(file, "utf8"))
  })

  it("add --exec writes a user running `kubecred credential`; kubectl answers through the plugin and its cache", async () => {
    const home = tempDir("exec")
    const kubeconfig = join(home, "exec.yaml")
    const env = cliEnv(mock, home, { KUBECONFIG: kubeconfig })
    const out = await runCli(["add", "ack", ack.clusterId, "--region", ack.region, "--exec", "--ttl", "2h"], env)
    expect(out.stderr).toBe("")
    expect(out.code).toBe(0)
    const doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    const user = doc.users[0].user
    expect(user["client-key-data"]).toBeUndefined()
    expect(user.exec).toMatchObject({
      apiVersion: "client.authentication.k8s.io/v1",
      interactiveMode: "Never",
      provideClusterInfo: false
    })
    expect(user.exec.args).toEqual(
      expect.arrayContaining(["credential", "alibaba", ack.clusterId, "--region", ack.region, "--ttl", "2h"])
    )
    expect(user.exec.env).toEqual([{ name: "KUBECRED_ACK_ENDPOINT", value: mock.alibaba.endpoint }])
    const cacheFiles = fs.readdirSync(join(home, "cache"))
    expect(cacheFiles).toHaveLength(1)
    expect(fs.statSync(join(home, "cache", cacheFiles[0]!)).mode & 0o777).toBe(0o600)
    expect(fs.statSync(join(home, "cache")).mode & 0o777).toBe(0o700)

    // The plugin itself: ExecCredential in the apiVersion kubectl asks for.
    const cred = await runCli(["credential", "ack", ack.clusterId, "--region", ack.region], {
      ...env,
      KUBERNETES_EXEC_INFO: JSON.stringify({
        apiVersion: "client.authentication.k8s.io/v1beta1",
        kind: "ExecCredential",
        spec: { interactive: false }
      })
    })
    expect(cred.code).toBe(0)
    const execCredential = JSON.parse(cred.stdout)
    expect(execCredential).toMatchObject({ kind: "ExecCredential", apiVersion: "client.authentication.k8s.io/v1beta1" })
    expect(execCredential.status.clientCertificateData).toContain("BEGIN CERTIFICATE")
    expect(execCredential.status.clientKeyData).toContain("PRIVATE KEY")
    expect(Date.parse(execCredential.status.expirationTimestamp)).toBeGreaterThan(Date.now())

    if (requireKubectl()) {
      const context = `alibaba-${ack.region}-${ack.clusterId}`
      const before = mock.stats().requests["alibaba:DescribeClusterUserKubeconfig"] ?? 0
      // kubectl gets the plugin's env from its own environment plus the exec stanza: credentials come from
      // the environment (never the kubeconfig), the endpoint override from the stanza.
      const kubectlEnv = { ...env, KUBECRED_ACK_ENDPOINT: undefined }
      for (let i = 0; i < 2; i++) {
        const ns = await kubectl(["get", "namespaces", "--context", context], kubectlEnv)
        expect(ns.stderr).toBe("")
        expect(ns.code).toBe(0)
        expect(ns.stdout).toContain("kube-system")
      }
      // served from the cache primed by add --exec: no new kubeconfig request
      expect(mock.stats().requests["alibaba:DescribeClusterUserKubeconfig"] ?? 0).toBe(before)
    }
    noSecrets(out.stdout, cred.stderr, fs.readFileSync(kubeconfig, "utf8"))
  })

  it("add --exec for TKE: the plugin fetches on a cold cache and kubectl answers", async () => {
    requireKubectl()
    const home = tempDir("exec-tke")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home, { KUBECONFIG: kubeconfig })
    const out = await runCli(["add", "tke", tke.clusterId, "--region", tke.region, "--exec"], env)
    expect(out.code).toBe(0)
    fs.rmSync(join(home, "cache"), { recursive: true, force: true })
    const before = mock.stats().requests["tencent:DescribeClusterKubeconfig"] ?? 0
    const ns = await kubectl(["get", "ns"], env)
    expect(ns.stderr).toBe("")
    expect(ns.stdout).toContain("kube-system")
    expect(mock.stats().requests["tencent:DescribeClusterKubeconfig"]).toBe(before + 1)
    const cred = JSON.parse((await runCli(["credential", "tke", tke.clusterId, "--region", tke.region], env)).stdout)
    // TKE's certificate lives for years; kubectl is told an hour so that it asks again.
    expect(Date.parse(cred.status.expirationTimestamp) - Date.now()).toBeLessThanOrEqual(3_600_000)
  })

  it("--dry-run prints a diff and leaves the file byte-identical; --no-set-current keeps current-context", async () => {
    const home = tempDir("dry")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home)
    await runCli(["add", "tke", tke.clusterId, "--region", tke.region, "--kubeconfig", kubeconfig], env)
    const before = fs.readFileSync(kubeconfig)
    const dry = await runCli(
      ["add", "ack", ack.clusterId, "--region", ack.region, "--kubeconfig", kubeconfig, "--dry-run"],
      env
    )
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/^[-+@]/m)
    expect(dry.stdout).toContain("dry run")
    expect(fs.readFileSync(kubeconfig).equals(before)).toBe(true)

    const keep = await runCli(
      ["add", "ack", ack.clusterId, "--region", ack.region, "--kubeconfig", kubeconfig, "--no-set-current"],
      env
    )
    expect(keep.code).toBe(0)
    const doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    expect(doc["current-context"]).toBe(`tencent-${tke.region}-${tke.clusterId}`)
    expect(doc.contexts).toHaveLength(2)

    const clash = await runCli(
      [
        "add",
        "ack",
        ack.clusterId,
        "--region",
        ack.region,
        "--kubeconfig",
        kubeconfig,
        "--context",
        `tencent-${tke.region}-${tke.clusterId}`,
        "--on-conflict",
        "fail"
      ],
      env
    )
    // A conflict is a kubeconfig problem (exit 6) since the default stopped overwriting foreign entries.
    expect(clash.code).toBe(6)
    oneErrorLine(clash.stderr)
    expect(clash.stderr).toContain("is kubecred's entry for another cluster")
  })

  it("list, status, sync --prune, refresh and remove", async () => {
    const home = tempDir("bulk")
    const kubeconfig = join(home, "config")
    const env = cliEnv(mock, home, { KUBECONFIG: kubeconfig })

    const listed = await runCli(["list", "ack", "--region", "cn-hangzhou", "-o", "json"], env)
    expect(listed.code).toBe(0)
    const clusters = JSON.parse(listed.stdout) as Array<{ clusterId: string; name: string; phase: string }>
    expect(clusters.map((c) => c.clusterId)).toContain(ack.clusterId)
    const table = await runCli(["list", "tke", "--region", "ap-guangzhou"], env)
    expect(table.code).toBe(0)
    expect(table.stdout.split("\n")[0]).toMatch(/^ID\s+NAME\s+REGION\s+STATUS\s+VERSION\s+ENDPOINTS/)
    // more than one page of TKE clusters in ap-guangzhou (the API's default page is 20)
    expect(table.stdout.trim().split("\n").length - 1).toBeGreaterThan(20)

    const sync = await runCli(["sync", "ack", "--region", "cn-hangzhou", "--filter", "name=dev-*", "--ttl", "1h"], env)
    expect(sync.code).toBe(0)
    const devs = clusters.filter((c) => c.name.startsWith("dev-") && c.phase === "running")
    expect(sync.stdout).toContain(`${devs.length} added`)
    expect(sync.stdout).toMatch(/\[1\/\d+\] fetched/)
    expect(sync.stderr).toBe("")
    let doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    expect(doc.contexts).toHaveLength(devs.length)
    expect(doc["current-context"]).toBeUndefined()

    // a context kubecred added for a cluster that no longer exists
    const ghost = structuredClone(doc.contexts[0])
    ghost.name = "ghost"
    ghost.context.extensions[0].extension.clusterId = "c00000000000000000000000000000000"
    doc.contexts.push(ghost)
    fs.writeFileSync(kubeconfig, JSON.stringify(doc), { mode: 0o600 })

    const status = await runCli(["status", "-o", "json"], env)
    expect(status.code).toBe(0)
    const rows = JSON.parse(status.stdout) as Array<{ name: string; provider: string; secondsLeft: number }>
    expect(rows).toHaveLength(devs.length + 1)
    expect(rows[0]).toMatchObject({ provider: "alibaba" })
    expect(rows[0]!.secondsLeft).toBeLessThanOrEqual(3600)
    const statusTable = await runCli(["status"], env)
    expect(statusTable.stdout).toContain("EXPIRES IN")
    expect(statusTable.stdout).toMatch(/\d+m !/) // expiring within a day: marked
    expect(statusTable.stdout).not.toContain("long-lived") // temporary ACK kubeconfigs only

    const pruned = await runCli(
      ["sync", "ack", "--region", "cn-hangzhou", "--filter", "name=dev-*", "--ttl", "1h", "--prune"],
      env
    )
    expect(pruned.code).toBe(0)
    expect(pruned.stdout).toContain('pruned context "ghost"')
    doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    expect(doc.contexts.map((c: { name: string }) => c.name)).not.toContain("ghost")

    const refreshed = await runCli(["refresh", "--expiring-within", "2h"], env)
    expect(refreshed.code).toBe(0)
    expect(refreshed.stdout.match(/refreshed context/g)?.length).toBe(devs.length)

    const name = doc.contexts[0].name as string
    const removed = await runCli(["remove", name], env)
    expect(removed.code).toBe(0)
    expect(removed.stdout).toContain(`removed context "${name}"`)
    const all = await runCli(["remove", "--provider", "ack"], env)
    expect(all.code).toBe(0)
    doc = parse(fs.readFileSync(kubeconfig, "utf8"))
    expect(doc.contexts ?? []).toHaveLength(0)
    expect(doc.users ?? []).toHaveLength(0)
    expect(doc.clusters ?? []).toHaveLength(0)
    noSecrets(sync.stdout, sync.stderr, status.stdout, refreshed.stdout)
  })

  it("on an ECS instance: the RAM role's STS credentials from the metadata service, for add --exec and kubectl", async () => {
    const home = tempDir("ecs-role")
    const kubeconfig = join(home, "config")
    const env = {
      ...cliEnv(mock, home, { KUBECONFIG: kubeconfig }),
      ALIBABA_CLOUD_ACCESS_KEY_ID: undefined,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: undefined,
      ALIBABA_CLOUD_ECS_METADATA: mock.metadata.ecsRole,
      KUBECRED_ECS_METADATA_ENDPOINT: mock.metadata.endpoint
    }
    const out = await runCli(["add", "ack", ack.clusterId, "--region", ack.region, "--exec", "--ttl", "1h"], env)
    expect(out.stderr).toBe("")
    expect(out.code).toBe(0)
    const context = `alibaba-${ack.region}-${ack.clusterId}`
    if (requireKubectl()) {
      const ns = await kubectl(["get", "namespaces", "--context", context], {
        ...env,
        KUBECRED_CACHE_DIR: join(home, "cold")
      })
      expect(ns.stderr).toBe("")
      expect(ns.code).toBe(0)
      expect(ns.stdout).toContain("kube-system")
    }
    const unknown = await runCli(["get", "ack", ack.clusterId, "--region", ack.region], {
      ...env,
      ALIBABA_CLOUD_ECS_METADATA: "no-such-role"
    })
    expect(unknown.code).toBe(3)
    oneErrorLine(unknown.stderr)
    expect(unknown.stderr).toContain('knows no RAM role "no-such-role"')
    secrets.push(mock.alibaba.sts.accessKeySecret, mock.alibaba.sts.securityToken)
    noSecrets(out.stdout, out.stderr, unknown.stderr, fs.readFileSync(kubeconfig, "utf8"))
  })

  it("a KUBECONFIG chain: add updates the file defining the context, remove finds it there, kubectl agrees", async () => {
    const home = tempDir("chain")
    const first = join(home, "a.yaml")
    const second = join(home, "b.yaml")
    const env = cliEnv(mock, home, { KUBECONFIG: `${first}:${second}` })
    const context = `tencent-${tke.region}-${tke.clusterId}`
    // Neither file exists yet: kubectl's rule sends the entry to the last one.
    const added = await runCli(["add", "tke", tke.clusterId, "--region", tke.region], env)
    expect(added.code).toBe(0)
    expect(added.stdout).toContain(`added context "${context}" in ${second}`)
    const mine =
      "apiVersion: v1\nkind: Config\ncontexts:\n- name: elsewhere\n  context: {cluster: dev, user: dev}\ncurrent-context: elsewhere # mine\n"
    fs.writeFileSync(first, mine, { mode: 0o600 })

    const again = await runCli(["add", "tke", tke.clusterId, "--region", tke.region], env)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain(`context "${context}" in ${second}`)
    expect(parse(fs.readFileSync(first, "utf8")).contexts).toEqual([
      { name: "elsewhere", context: { cluster: "dev", user: "dev" } }
    ])
    if (requireKubectl()) {
      const kenv = { PATH: env.PATH, HOME: home, KUBECONFIG: `${first}:${second}` }
      const names = await kubectl(["config", "get-contexts", "-o", "name"], kenv)
      expect(names.stdout.trim().split("\n").sort()).toEqual(["elsewhere", context].sort())
      expect((await kubectl(["config", "current-context"], kenv)).stdout.trim()).toBe(context)
      const ns = await kubectl(["get", "namespaces"], kenv)
      expect(ns.code).toBe(0)
      expect(ns.stdout).toContain("kube-system")
    }

    // status over the chain: contexts from two files, so a FILE column says which
    const status = await runCli(["status"], env)
    expect(status.code).toBe(0)
    const [header, ...rows] = status.stdout.trimEnd().split("\n")
    expect(header).toMatch(/EXPIRES IN\s+FILE$/)
    expect(rows.find((row) => row.includes(context))).toMatch(new RegExp(`${second}$`))
    expect(rows.find((row) => row.includes("elsewhere"))).toMatch(new RegExp(`${first}$`))

    const removed = await runCli(["remove", context], env)
    expect(removed.stderr).toBe("")
    expect(removed.code).toBe(0)
    expect(removed.stdout).toBe(`removed context "${context}" from ${second}\n`)
    expect(fs.readFileSync(first, "utf8")).toBe(mine)
    const missing = await runCli(["remove", context], env)
    expect(missing.code).toBe(2)
    oneErrorLine(missing.stderr)
    expect(missing.stderr).toContain(`in ${first}, ${second}`)
  })

  it("maps provider failures to exit codes with one line and no secret", async () => {
    const home = tempDir("errors")
    const env = cliEnv(mock, home)
    const notFound = await runCli(["get", "tke", "cls-zzzzzzzz", "--region", tke.region], env)
    expect(notFound.code).toBe(4)
    oneErrorLine(notFound.stderr)

    const badKey = await runCli(["get", "ack", ack.clusterId, "--region", ack.region], {
      ...env,
      ALIBABA_CLOUD_ACCESS_KEY_SECRET: "wrong-secret-value"
    })
    expect(badKey.code).toBe(3)
    oneErrorLine(badKey.stderr)
    expect(badKey.stderr).not.toContain("wrong-secret-value")

    const noCreds = await runCli(["get", "tke", tke.clusterId, "--region", tke.region], {
      ...env,
      TENCENTCLOUD_SECRET_ID: undefined,
      TENCENTCLOUD_SECRET_KEY: undefined
    })
    expect(noCreds.code).toBe(3)
    oneErrorLine(noCreds.stderr)

    const refused = await runCli(
      ["get", "tke", tke.clusterId, "--region", tke.region, "--api-endpoint", "http://127.0.0.1:1"],
      {
        ...env,
        KUBECRED_RETRIES: "0"
      }
    )
    expect(refused.code).toBe(5)
    oneErrorLine(refused.stderr)

    mock.setFaults([
      { provider: "tencent", action: "DescribeClusterKubeconfig", error: { code: "RequestLimitExceeded" } }
    ])
    try {
      const throttled = await runCli(["get", "tke", tke.clusterId, "--region", tke.region], {
        ...env,
        KUBECRED_RETRIES: "0"
      })
      expect(throttled.code).toBe(5)
      oneErrorLine(throttled.stderr)
    } finally {
      mock.setFaults([])
    }

    const verbose = await runCli(["get", "tke", "cls-zzzzzzzz", "--region", tke.region, "--verbose"], env)
    expect(verbose.code).toBe(4)
    expect(verbose.stderr).toMatch(/^kubecred: .*ClusterNotFound.*\(hint: .+\)$/m)
    expect(verbose.stderr).toMatch(/^ {2}request id: [0-9a-f-]+$/m)
    noSecrets(notFound.stderr, badKey.stderr, noCreds.stderr, refused.stderr, verbose.stderr)
  })

  it("--mock-ready points every command at a running mock with its demo credentials", async () => {
    const home = tempDir("ready")
    const ready = join(home, "ready.json")
    fs.writeFileSync(
      ready,
      JSON.stringify({ tencent: mock.tencent, alibaba: mock.alibaba, apiserver: mock.apiserver, control: mock.control })
    )
    const env = { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", KUBECRED_CACHE_DIR: join(home, "cache") }
    const out = await runCli(["add", "tke", tke.clusterId, "--mock-ready", ready], env)
    expect(out.stderr).toBe("")
    expect(out.code).toBe(0)
    const list = await runCli(["list", "--mock-ready", ready, "-o", "json"], env)
    expect(list.code).toBe(0)
    const providers = new Set((JSON.parse(list.stdout) as Array<{ provider: string }>).map((c) => c.provider))
    expect([...providers].sort()).toEqual(["alibaba", "tencent"])
  })

  it("shell completions for bash, zsh, fish and powershell", async () => {
    for (const shell of ["bash", "zsh", "fish", "powershell"]) {
      const out = await runCli(["completion", shell], { PATH: process.env.PATH })
      expect(out.code).toBe(0)
      expect(out.stdout).toContain("kubecred __complete")
    }
  })

  it("help pages show kubecred's own options, never @effect/cli's built-ins; the global flags once, at the root", async () => {
    for (const argv of [["--help"], ["add", "--help"], ["status", "--help"]]) {
      const out = await runCli(argv, { PATH: process.env.PATH })
      expect(out.code).toBe(0)
      expect(out.stdout).not.toContain("--wizard")
      expect(out.stdout).not.toContain("--log-level")
      expect(out.stdout).not.toContain("--completions")
      expect(out.stdout.match(/--kubeconfig PATH/g) ?? []).toHaveLength(argv.length === 1 ? 1 : 0)
      expect(out.stdout).toMatch(
        argv.length === 1 ? /completion {2}Print a shell completion script/ : /kubecred options/
      )
    }
  })
})
