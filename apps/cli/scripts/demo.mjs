// The offline demo behind the README's Quick start: a mock cloud (TKE, ACK and a kube-apiserver stub) runs in
// the background, kubecred adds one TKE cluster (embedded certificate) and one ACK cluster (--exec: the exec
// credential plugin) to a kubeconfig in a temporary directory, and `kubectl get namespaces` answers through
// each context. Without kubectl on PATH, the same request kubectl makes is made here with the context's
// credentials (the exec plugin included). Nothing outside the temporary directory is touched.
import { spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as https from "node:https"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"

const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, "..", "dist", "kubecred.cjs")
if (!fs.existsSync(cli)) spawnSync(process.execPath, [join(here, "build.mjs")], { stdio: "inherit" })

const work = fs.mkdtempSync(join(tmpdir(), "kubecred-demo-"))
const readyFile = join(work, "mock-ready.json")
const kubeconfig = join(work, "kubeconfig")
const env = {
  ...process.env,
  HOME: work,
  KUBECONFIG: kubeconfig,
  KUBECRED_MOCK_READY: readyFile,
  KUBECRED_CACHE_DIR: join(work, "cache"),
  NODE_EXTRA_CA_CERTS: undefined
}
const bold = (s) => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001b[1m${s}\u001b[22m` : s)
const show = (line) => console.log(`\n${bold(`$ ${line}`)}`)

const kubecred = (...args) => {
  show(`kubecred ${args.join(" ")}`)
  const result = spawnSync(process.execPath, [cli, ...args], { env, stdio: "inherit" })
  if (result.status !== 0) throw new Error(`kubecred ${args[0]} exited ${result.status}`)
}

/** What `kubectl get namespaces --context C` does, for machines without kubectl. */
const getNamespaces = async (context) => {
  const doc = parse(fs.readFileSync(kubeconfig, "utf8"))
  const ctx = doc.contexts.find((c) => c.name === context).context
  const cluster = doc.clusters.find((c) => c.name === ctx.cluster).cluster
  const user = doc.users.find((u) => u.name === ctx.user).user
  let cert
  let key
  if (user.exec) {
    const run = spawnSync(user.exec.command, user.exec.args ?? [], {
      env: { ...env, ...Object.fromEntries((user.exec.env ?? []).map((e) => [e.name, e.value])) },
      encoding: "utf8"
    })
    if (run.status !== 0) throw new Error(`exec plugin failed: ${run.stderr}`)
    const status = JSON.parse(run.stdout).status
    cert = status.clientCertificateData
    key = status.clientKeyData
  } else {
    cert = Buffer.from(user["client-certificate-data"], "base64")
    key = Buffer.from(user["client-key-data"], "base64")
  }
  const url = new URL("/api/v1/namespaces", cluster.server)
  const body = await new Promise((resolve, reject) => {
    https
      .get(
        url,
        {
          ca: Buffer.from(cluster["certificate-authority-data"], "base64"),
          cert,
          key,
          ...(cluster["tls-server-name"] ? { servername: cluster["tls-server-name"] } : {})
        },
        (res) => {
          let data = ""
          res.on("data", (d) => (data += d))
          res.on("end", () => (res.statusCode === 200 ? resolve(data) : reject(new Error(`${res.statusCode} ${data}`))))
        }
      )
      .on("error", reject)
  })
  const rows = JSON.parse(body).items.map((ns) => [ns.metadata.name, ns.status?.phase ?? "Active"])
  console.log([`${"NAME".padEnd(16)}STATUS`, ...rows.map(([n, s]) => `${n.padEnd(16)}${s}`)].join("\n"))
}

const hasKubectl = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0
const kubectl = async (context) => {
  show(`kubectl get namespaces --context ${context}`)
  if (hasKubectl) {
    const result = spawnSync("kubectl", ["get", "namespaces", "--context", context], { env, stdio: "inherit" })
    if (result.status !== 0) throw new Error(`kubectl exited ${result.status}`)
  } else {
    console.log("(kubectl is not on PATH: making the request kubectl makes, with this context's credentials)")
    await getNamespaces(context)
  }
}

show(`kubecred mock --ready-file ${readyFile} &`)
const mock = spawn(process.execPath, [cli, "mock", "--ready-file", readyFile], {
  env,
  stdio: ["ignore", "inherit", "inherit"]
})
try {
  const deadline = Date.now() + 60_000
  while (!fs.existsSync(readyFile)) {
    if (mock.exitCode !== null) throw new Error("the mock cloud exited")
    if (Date.now() > deadline) throw new Error("the mock cloud did not start within 60 s")
    await new Promise((r) => setTimeout(r, 50))
  }
  const ready = JSON.parse(fs.readFileSync(readyFile, "utf8"))
  const tke = ready.tencent.clusters.find((c) => c.status === "Running")
  const ack = ready.alibaba.clusters.find((c) => c.state === "running")

  kubecred("list", "tke", "--region", tke.region)
  kubecred("add", "tke", tke.clusterId, "--region", tke.region)
  kubecred("add", "ack", ack.clusterId, "--region", ack.region, "--exec", "--ttl", "1h")
  kubecred("status")
  await kubectl(`tencent-${tke.region}-${tke.clusterId}`)
  await kubectl(`alibaba-${ack.region}-${ack.clusterId}`)
  console.log(`\n${bold("demo done")}: both contexts answered. kubeconfig: ${kubeconfig} (removed now, with the mock)`)
} finally {
  mock.kill("SIGTERM")
  await new Promise((r) => (mock.exitCode !== null ? r() : mock.once("exit", r)))
  fs.rmSync(work, { recursive: true, force: true })
}
