/**
 * Bad input: 500 generated invocations of the bundled CLI (seeded, so a failure reproduces): invalid ids,
 * regions, durations, flags, commands, endpoints, garbage kubeconfig files, unwritable paths. Each must exit
 * with its documented code, print exactly one line on stderr (and nothing on stdout), and leave every
 * existing file byte-identical (no lock or temp file left behind either).
 */
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { join, relative } from "node:path"
import type { MockCloud } from "@kubecred/mock-cloud"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { cliEnv, ensureBuilt, pool, removeTempDirs, runCli, startMock, tempDir } from "./helpers.js"

const SEED = 0x5eed_0005
const COUNT = Number(process.env.KUBECRED_BAD_INPUT_COUNT ?? 500)
const PARALLEL = 4

/** mulberry32: small, seeded, good enough to pick cases. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

interface Case {
  readonly kind: string
  readonly args: ReadonlyArray<string>
  readonly env?: Record<string, string | undefined>
  readonly code: number
  /** sync prints progress lines on stdout before it fails to write */
  readonly stdoutOk?: boolean
}

let mock: MockCloud
let work: string
const snapshot = new Map<string, string>()

const hashTree = (dir: string, into: Map<string, string>) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) hashTree(path, into)
    else into.set(relative(work, path), createHash("sha256").update(fs.readFileSync(path)).digest("hex"))
  }
  return into
}

const garbage: ReadonlyArray<string> = [
  "clusters: [unclosed\n",
  ": : :\n\t- nope\n",
  "- just\n- a\n- list\n",
  "clusters: 5\nusers: nope\n",
  "apiVersion: v1\nkind: Config\ncontexts:\n  - name: a\n    context: 7\n",
  "\u0000\u0001\u0002binary\u00ff\n",
  "key: [1, 2\nother: }\n",
  "apiVersion: v1\nkind: Config\nclusters:\n  - name: x\n    cluster:\n      server: 5\n      server: 6\n",
  '{"clusters": [',
  "kind: Config\nusers:\n  - 1\n  - 2\n"
]

beforeAll(async () => {
  ensureBuilt()
  mock = await startMock()
  work = tempDir("bad")
  const home = join(work, "home")
  fs.mkdirSync(join(home, ".kube"), { recursive: true })
  // The user's own kubeconfig, with a comment and a foreign context: must never change.
  fs.writeFileSync(
    join(home, ".kube", "config"),
    [
      "# my clusters, hand-written",
      "apiVersion: v1",
      "kind: Config",
      "clusters:",
      "  - name: mine",
      "    cluster:",
      "      server: https://127.0.0.1:6443",
      "users:",
      "  - name: me",
      "    user:",
      "      token: not-a-real-token",
      "contexts:",
      "  - name: mine",
      "    context:",
      "      cluster: mine",
      "      user: me",
      "current-context: mine",
      ""
    ].join("\n"),
    { mode: 0o600 }
  )
  for (const [i, text] of garbage.entries()) fs.writeFileSync(join(work, `garbage-${i}.yaml`), text)
  fs.writeFileSync(join(work, "plain-file"), "I am a file, not a directory\n")
  fs.mkdirSync(join(work, "a-directory"))
  hashTree(work, snapshot)
})

afterAll(async () => {
  await mock?.stop()
  removeTempDirs()
})

const generate = (): Array<Case> => {
  const random = prng(SEED)
  const int = (n: number) => Math.floor(random() * n)
  const pick = <A>(xs: ReadonlyArray<A>): A => xs[int(xs.length)]!
  const chars = (alphabet: string, n: number) =>
    Array.from({ length: n }, () => alphabet[int(alphabet.length)]).join("")
  const lower = "abcdefghijklmnopqrstuvwxyz0123456789"
  const nasty = "ABCXYZ_.!@#$%^&*()/\\ 'é中"
  const tke = mock.tencent.clusters.find((c) => c.status === "Running")!
  const ack = mock.alibaba.clusters.find((c) => c.state === "running")!
  const garbageFile = () => join(work, `garbage-${int(garbage.length)}.yaml`)
  const unwritable = () =>
    pick([
      join(work, "plain-file", "sub", "config"),
      join(work, "plain-file", "config"),
      join(work, "a-directory"),
      // not /proc/<missing>/config: node 20's recursive mkdir spins forever there (reported on the kubeconfig engine)
      "/proc/self/kubecred-config"
    ])

  const badTkeId = () =>
    pick([
      () => `cls-${chars(lower, int(7) + 1)}`,
      () => `cls-${chars(lower, 17 + int(5))}`,
      () => `cls-${chars(lower, 4)}${chars(nasty, 1)}${chars(lower, 4)}`,
      () => `CLS-${chars(lower, 8)}`,
      () => chars(lower, 8 + int(8)),
      () => `c${chars("0123456789abcdef", 32)}`,
      () => ""
    ])()
  const badAckId = () =>
    pick([
      () => `c${chars(lower, 31)}`,
      () => `c${chars(lower, 33 + int(4))}`,
      () => `C${chars(lower, 32)}`,
      () => `d${chars(lower, 32)}`,
      () => `c${chars(lower, 16)}${chars(nasty, 1)}${chars(lower, 15)}`,
      () => `cls-${chars(lower, 8)}`
    ])()
  const badRegion = () =>
    pick([
      () => chars(lower, 1 + int(3)).replace(/\d/g, "a"),
      () => `AP-${chars("ABCDEFG", 5)}`,
      () => `ap_${chars("abcdefg", 8)}`,
      () => `ap-${chars("abcdefg", 5)}-`,
      () => `ap-${chars("abcdefg", 45)}`,
      () => `ap-guangzhou${chars(nasty, 1)}`,
      () => "-",
      () => "a-b-c-d-e-f-g"
    ])()
  const badTtl = () =>
    pick(["0", "0m", "14m", "5m", "4321m", "4d", "73h", "abc", "1h30", "-5m", "1.5h", "2w", "m", "h1", "99999999d"])

  const kinds: ReadonlyArray<() => Case> = [
    () => ({
      kind: "tke id",
      args: [pick(["get", "add", "credential"]), pick(["tke", "tencent"]), badTkeId(), "--region", tke.region],
      code: 2
    }),
    () => ({
      kind: "ack id",
      args: [pick(["get", "add", "credential"]), pick(["ack", "alibaba"]), badAckId(), "--region", ack.region],
      code: 2
    }),
    () => ({ kind: "region", args: [pick(["get", "add"]), "tke", tke.clusterId, "--region", badRegion()], code: 2 }),
    () => ({ kind: "region", args: ["list", pick(["tke", "ack"]), "--region", badRegion()], code: 2 }),
    () => ({
      kind: "ttl",
      args: [pick(["get", "add", "credential"]), "ack", ack.clusterId, "--region", ack.region, "--ttl", badTtl()],
      code: 2
    }),
    () => ({
      kind: "ttl on tke",
      args: [pick(["get", "add"]), "tke", tke.clusterId, "--region", tke.region, "--ttl", pick(["1h", "2h", "3d"])],
      code: 2
    }),
    () => ({
      kind: "unknown flag",
      args: [
        pick(["get", "add", "list", "status", "remove"]),
        ...(random() < 0.5 ? ["tke", tke.clusterId] : []),
        pick(["--bogus", "--regionx", "-x", "--kubeconfigg", "--on-conflict=maybe", "--no-such-flag=1"])
      ],
      code: 2
    }),
    () => ({
      kind: "bad choice",
      args: [
        "add",
        "tke",
        tke.clusterId,
        "--region",
        tke.region,
        "--on-conflict",
        pick(["maybe", "force", "OVERWRITE", ""])
      ],
      code: 2
    }),
    // -o table|wide|json|yaml|name on both (issue 12): anything else is refused
    () => ({
      kind: "bad choice",
      args: [pick(["list", "status"]), "-o", pick(["xml", "jsonpath", "text", ""])],
      code: 2
    }),
    () => ({
      kind: "bad provider",
      args: [
        pick(["get", "add", "credential", "sync"]),
        pick(["gke", "eks", "aks", "TKE", "aliyun", chars(lower, 5)]),
        `cls-${chars(lower, 8)}`
      ],
      code: 2
    }),
    () => ({
      kind: "unknown command",
      args: [pick(["ad", "gett", "delete", "login", "config", chars(lower, 6)]), "tke"],
      code: 2
    }),
    () => ({
      kind: "missing argument",
      args: pick([["add"], ["add", "tke"], ["get"], ["get", "ack"], ["credential", "ack"], ["sync"]]),
      code: 2
    }),
    () => ({
      kind: "extra argument",
      args: ["add", "tke", tke.clusterId, chars(lower, 5), "--region", tke.region],
      code: 2
    }),
    () => ({
      kind: "missing value",
      args: ["add", "tke", tke.clusterId, pick(["--region", "--ttl", "--kubeconfig", "--context"])],
      code: 2
    }),
    () => ({
      kind: "api endpoint",
      args: [
        "get",
        "tke",
        tke.clusterId,
        "--region",
        tke.region,
        "--api-endpoint",
        pick(["not a url", "ftp://127.0.0.1/", "http//x", "://", "127.0.0.1:::"])
      ],
      code: 2
    }),
    () => ({
      kind: "mock ready",
      args: ["add", "tke", tke.clusterId, "--mock-ready", join(work, `missing-${int(1000)}.json`)],
      code: 2
    }),
    () => ({ kind: "mock ready", args: ["list", "--mock-ready", garbageFile()], code: 2 }),
    () => ({
      kind: "exec info",
      args: ["credential", "tke", tke.clusterId, "--region", tke.region],
      env: {
        KUBERNETES_EXEC_INFO: pick([
          "{",
          "not json",
          '{"apiVersion":"client.authentication.k8s.io/v1alpha1"}',
          '{"apiVersion":"v2"}'
        ])
      },
      code: 2
    }),
    () => ({
      kind: "remove usage",
      args: pick([
        ["remove"],
        ["remove", "x", "--provider", "tke"],
        ["remove", "--cluster-id", "cls-aaaaaaaa"],
        ["remove", "--provider", "tke", "--cluster-id", badTkeId() || "x"]
      ]),
      code: 2
    }),
    () => ({
      kind: "filter",
      args: ["sync", "tke", "--region", tke.region, "--filter", pick(["name", "=x", "foo=bar", "name=", "tag=x"])],
      code: 2
    }),
    () => ({ kind: "duration", args: ["refresh", "--expiring-within", pick(["soon", "1y", "-1h", "h"])], code: 2 }),
    () => ({ kind: "regions", args: ["list", "tke", "--region", tke.region, "--all-regions"], code: 2 }),
    () => ({ kind: "port", args: ["mock", "--port", pick(["70000", "-1", "abc", "1.5"])], code: 2 }),
    () => ({ kind: "not found", args: ["get", "tke", `cls-zz${chars("xyz", 6)}`, "--region", tke.region], code: 4 }),
    () => ({
      kind: "not found",
      args: ["add", "ack", `c${"0".repeat(31)}${int(10)}`, "--region", ack.region],
      code: 4
    }),
    () => ({
      kind: "garbage kubeconfig",
      args: ["add", "tke", tke.clusterId, "--region", tke.region, "--kubeconfig", garbageFile()],
      code: 6
    }),
    () => ({
      kind: "garbage kubeconfig",
      args: ["add", "ack", ack.clusterId, "--region", ack.region],
      env: { KUBECONFIG: garbageFile() },
      code: 6
    }),
    () => ({ kind: "garbage kubeconfig", args: [pick(["status", "refresh"]), "--kubeconfig", garbageFile()], code: 6 }),
    () => ({
      kind: "garbage kubeconfig",
      args: ["remove", pick(["mine", "x"]), "--kubeconfig", garbageFile()],
      code: 6
    }),
    () => ({
      kind: "unwritable path",
      args: ["add", "tke", tke.clusterId, "--region", tke.region, "--kubeconfig", unwritable()],
      code: 6
    }),
    () => ({
      kind: "unwritable path",
      args: ["sync", "ack", "--region", ack.region, "--filter", "name=prod-web-1", "--kubeconfig", unwritable()],
      code: 6,
      stdoutOk: true
    }),
    () => ({
      kind: "missing kubeconfig",
      args: ["status", "--kubeconfig", join(work, `nope-${int(1000)}`, "config")],
      code: 6
    })
  ]
  return Array.from({ length: COUNT }, () => pick(kinds)())
}

describe("bad input", () => {
  it(
    `${COUNT} generated invocations: documented exit code, one line, files byte-identical`,
    async () => {
      const cases = generate()
      const home = join(work, "home")
      const env = cliEnv(mock, home, { KUBECRED_RETRIES: "0" })
      const failures: Array<string> = []
      const results = await pool(cases, PARALLEL, async (c) => {
        const started = Date.now()
        const out = await runCli(c.args, { ...env, ...c.env }, { timeout: 60_000 })
        if (process.env.KUBECRED_BAD_INPUT_TRACE)
          console.log(`${Date.now() - started}ms ${out.code} ${c.args.join(" ")}`)
        const lines = out.stderr.split("\n")
        const problems = [
          out.code === c.code ? undefined : `exit ${out.code}, expected ${c.code}`,
          lines.length === 2 && lines[1] === "" ? undefined : `stderr has ${lines.length - 1} lines`,
          /^kubecred: .+ \(hint: .+\)$/.test(lines[0] ?? "") ? undefined : "stderr is not `kubecred: ... (hint: ...)`",
          out.stdout === "" || c.stdoutOk ? undefined : "stdout is not empty",
          out.stderr.includes(mock.tencent.secretKey) || out.stderr.includes(mock.alibaba.accessKeySecret)
            ? "a secret was printed"
            : undefined
        ].filter((p) => p !== undefined)
        if (problems.length > 0) {
          failures.push(`${c.kind}: kubecred ${c.args.join(" ")} -> ${problems.join("; ")}\n  ${out.stderr.trim()}`)
        }
        return { kind: c.kind, code: out.code }
      })
      const after = hashTree(work, new Map())
      expect(failures.slice(0, 10)).toEqual([])
      expect(after).toEqual(snapshot)
      const byKind: Record<string, number> = {}
      for (const r of results) byKind[`${r.kind} -> ${r.code}`] = (byKind[`${r.kind} -> ${r.code}`] ?? 0) + 1
      console.log(
        `bad input: ${results.length} invocations\n${Object.entries(byKind)
          .map(([k, n]) => `  ${k}: ${n}`)
          .join("\n")}`
      )
      expect(results).toHaveLength(COUNT)
    },
    15 * 60_000
  )
})
