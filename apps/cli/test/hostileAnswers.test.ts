/**
 * Hostile answers: a local fake of both clouds answers `add` with kubeconfigs that each plant one field kubecred
 * must never write (an exec plugin, an auth provider, file paths, insecure TLS, a proxy, an unknown key, a YAML
 * merge key, an alias smuggling an exec (aliases are refused outright), a plain-http server, values that are not
 * what they claim). Every case runs through the bundled CLI for both providers: exit 1, one line on stderr naming the field (never its
 * value), every file under the home byte-identical, the planted value nowhere in any output or file.
 */
import * as fs from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { type FakeCloud, startFakeCloud } from "./fixtures/fakeCloud.js"
import {
  ACK,
  absentEverywhere,
  answer,
  type AnswerParts,
  fakeEnv,
  kubectlReads,
  oneErrorLine,
  snapshot,
  TKE
} from "./fixtures/hostile.js"
import { ensureBuilt, pool, removeTempDirs, requireKubectl, runCli, tempDir } from "./helpers.js"

let fake: FakeCloud

beforeAll(async () => {
  ensureBuilt()
  requireKubectl()
  fake = await startFakeCloud()
})

afterAll(async () => {
  await fake?.close()
  removeTempDirs()
})

/** The user's own kubeconfig: comments, a token, a foreign context. It must come out byte for byte. */
const MINE = `# mine, by hand
apiVersion: v1
kind: Config
clusters:
- name: home
  cluster:
    server: https://192.168.1.10:6443
contexts:
- name: home
  context:
    cluster: home
    user: me
current-context: home
users:
- name: me
  user:
    token: my-own-token-keep-it
`

interface Case {
  readonly name: string
  readonly parts: AnswerParts
  /** What the one line must name. */
  readonly field: string
  readonly planted: string
  readonly flags?: ReadonlyArray<string>
  /** The refusal's wording when it is not the allow-list's (aliases are refused while the YAML is read). */
  readonly refusal?: string
}

const EXEC = (command: string) =>
  `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${command}\n      args: ["-c", "id"]`

const cases: ReadonlyArray<Case> = [
  {
    name: "an exec plugin in the user",
    parts: { user: EXEC("/bin/sh-PLANTED01") },
    field: 'user."exec"',
    planted: "PLANTED01"
  },
  {
    name: "an auth-provider",
    parts: { user: "    auth-provider:\n      name: oidc\n      config:\n        id-token: PLANTED02" },
    field: 'user."auth-provider"',
    planted: "PLANTED02"
  },
  {
    name: "a tokenFile",
    parts: { user: "    tokenFile: /etc/PLANTED03" },
    field: 'user."tokenFile"',
    planted: "PLANTED03"
  },
  {
    name: "a client-certificate file path",
    parts: { user: "    client-certificate: /etc/PLANTED04" },
    field: 'user."client-certificate"',
    planted: "PLANTED04"
  },
  {
    name: "insecure-skip-tls-verify with a tokenFile",
    parts: { cluster: "    insecure-skip-tls-verify: true", user: "    tokenFile: /root/.ssh/PLANTED05" },
    field: 'cluster."insecure-skip-tls-verify"',
    planted: "PLANTED05"
  },
  {
    name: "a certificate-authority file path",
    parts: { cluster: "    certificate-authority: /etc/PLANTED06" },
    field: 'cluster."certificate-authority"',
    planted: "PLANTED06"
  },
  {
    name: "a proxy-url",
    parts: { cluster: "    proxy-url: http://PLANTED07.example:3128" },
    field: 'cluster."proxy-url"',
    planted: "PLANTED07"
  },
  {
    name: "a plain-http server",
    parts: { server: "http://PLANTED08.example:80" },
    field: 'cluster."server" is not an https:// URL',
    planted: "PLANTED08"
  },
  {
    name: "an unknown key",
    parts: { user: "    planted-key: PLANTED09" },
    field: 'user."planted-key"',
    planted: "PLANTED09"
  },
  {
    name: "a YAML merge key hiding an exec plugin",
    parts: {
      user: "    <<:\n      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: PLANTED10"
    },
    field: 'user."<<"',
    planted: "PLANTED10"
  },
  {
    name: "a merge key through an alias",
    parts: {
      top: "x-template: &evil\n  exec:\n    apiVersion: client.authentication.k8s.io/v1\n    command: PLANTED10b",
      user: "    <<: *evil"
    },
    field: "the kubeconfig uses YAML aliases",
    refusal: "anchors and aliases are refused in an answer",
    planted: "PLANTED10b"
  },
  {
    name: "an alias smuggling a whole user with an exec plugin",
    parts: {
      top: "x-template: &evil\n  token: abc\n  exec: {apiVersion: client.authentication.k8s.io/v1, command: PLANTED11}",
      userLine: "  user: *evil"
    },
    field: "the kubeconfig uses YAML aliases",
    refusal: "anchors and aliases are refused in an answer",
    planted: "PLANTED11"
  },
  {
    name: "extensions on the cluster",
    parts: { cluster: "    extensions:\n    - name: PLANTED12\n      extension: {}" },
    field: 'cluster."extensions"',
    planted: "PLANTED12"
  },
  {
    name: "a namespace that is not a name",
    parts: { context: '    namespace: "default\\nPLANTED13: x"' },
    field: 'context."namespace" is not a namespace name',
    planted: "PLANTED13"
  },
  {
    name: "a client key that is not base64",
    parts: { keyData: '"PLANTED14 injected: line"' },
    field: 'user."client-key-data" is not base64',
    planted: "PLANTED14"
  },
  {
    name: "a server with a newline",
    parts: { server: '"https://ok.example\\ninsecure-skip-tls-verify: PLANTED15"' },
    field: 'cluster."server" contains spaces or control characters',
    planted: "PLANTED15"
  },
  {
    name: "insecure TLS under --exec (the cluster body is not copied either)",
    parts: { cluster: "    insecure-skip-tls-verify: true\n    tls-server-name: PLANTED16.example" },
    field: 'cluster."insecure-skip-tls-verify"',
    planted: "PLANTED16",
    flags: ["--exec"]
  }
]

const runs = [TKE, ACK].flatMap((target) => cases.map((c) => ({ target, c })))

describe("hostile answers from the cloud are refused", () => {
  it(`${runs.length} cases over both providers: exit 1, one line naming the field, nothing written`, async () => {
    // One answer at a time: the fake serves one kubeconfig; the cases run in sequence per answer.
    for (const { target, c } of runs) {
      const home = tempDir("hostile")
      fs.mkdirSync(join(home, ".kube"))
      fs.writeFileSync(join(home, ".kube", "config"), MINE, { mode: 0o600 })
      const before = snapshot(home)
      fake.kubeconfig = answer(c.parts)
      const ran = await runCli(
        ["add", target.provider, target.id, "--region", target.region, ...(c.flags ?? [])],
        fakeEnv(fake.endpoint, home)
      )
      const label = `${target.provider}: ${c.name}`
      expect(ran.code, `${label}: ${ran.stderr}`).toBe(1)
      const line = oneErrorLine(ran)
      expect(line, label).toContain(c.field)
      expect(line, label).toContain(c.refusal ?? "refused the kubeconfig in the answer")
      expect(ran.stdout, label).toBe("")
      expect(snapshot(home), label).toEqual(before)
      absentEverywhere(c.planted, ran, home)
      expect(kubectlReads(join(home, ".kube", "config"))).toEqual(["home"])
    }
  })

  it("--proxy-url file:///..., and --proxy-url, --context or --namespace with a newline, are refused at parse time", async () => {
    const home = tempDir("flags")
    for (const [flag, value, message] of [
      ["--proxy-url", "file:///etc/PLANTED-f1", "--proxy-url must be an http://, https:// or socks5:// URL"],
      [
        "--proxy-url",
        "http://proxy:3128\ninsecure-skip-tls-verify: PLANTED-f2",
        "--proxy-url contains spaces or control characters"
      ],
      ["--context", "x\nPLANTED-f3", "--context the name contains a control character"],
      ["--namespace", "default\nPLANTED-f4", "--namespace is not a namespace name"]
    ] as const) {
      const before = fake.requests.length
      const ran = await runCli(
        ["add", TKE.provider, TKE.id, "--region", TKE.region, flag, value],
        fakeEnv(fake.endpoint, home)
      )
      expect(ran.code, ran.stderr).toBe(2)
      expect(oneErrorLine(ran)).toContain(message)
      expect(fake.requests.length).toBe(before)
      absentEverywhere(value.slice(value.indexOf("PLANTED")), ran, home)
      expect(fs.existsSync(join(home, ".kube"))).toBe(false)
    }
  })

  it("get refuses to print a hostile answer too (what it prints may be saved as a kubeconfig)", async () => {
    for (const target of [TKE, ACK]) {
      const home = tempDir("get")
      fake.kubeconfig = answer({ user: EXEC("/bin/sh-PLANTED-get") })
      const ran = await runCli(
        ["get", target.provider, target.id, "--region", target.region],
        fakeEnv(fake.endpoint, home)
      )
      expect(ran.code, ran.stderr).toBe(1)
      expect(oneErrorLine(ran)).toContain('user."exec" is not a field kubecred writes')
      absentEverywhere("PLANTED-get", ran, home)
    }
  })

  it("terminal control sequences in cluster names never reach the list table or its JSON raw", async () => {
    const evil = "prod\u001b]0;PLANTED-title\u0007\r\nfake-row\u009b2J\u202e"
    fake.clusters = [{ id: "cls-a1b2c3d4", name: evil }]
    for (const [target, id] of [
      [TKE, "cls-a1b2c3d4"],
      [ACK, ACK.id]
    ] as const) {
      fake.clusters = [{ id, name: evil }]
      for (const output of ["table", "json"]) {
        const home = tempDir("list")
        const ran = await runCli(
          ["list", target.provider, "--region", target.region, "-o", output],
          fakeEnv(fake.endpoint, home)
        )
        expect(ran.code, ran.stderr).toBe(0)
        expect(ran.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/)
        if (output === "table") {
          expect(ran.stdout.trimEnd().split("\n")).toHaveLength(2)
          expect(ran.stdout).toContain("prod\\u001b]0;PLANTED-title\\u0007\\u000d\\u000afake-row\\u009b2J\\u202e")
        } else {
          expect(JSON.parse(ran.stdout)[0].name).toBe(evil)
        }
      }
    }
    fake.clusters = []
  })

  it("a cluster name with control sequences is recorded without them, and kubectl reads the file", async () => {
    const evil = "prod\u001b]0;PLANTED-name\u0007\r\nx\u009b2J\u202e"
    await pool([TKE, ACK], 2, async (target) => {
      const home = tempDir("evilname")
      fs.mkdirSync(join(home, ".kube"))
      const file = join(home, ".kube", "config")
      fake.clusters = [{ id: target.id, name: evil }]
      fake.kubeconfig = answer({})
      const ran = await runCli(
        ["add", target.provider, target.id, "--region", target.region],
        fakeEnv(fake.endpoint, home)
      )
      expect(ran.code, ran.stderr).toBe(0)
      const written = fs.readFileSync(file, "utf8")
      expect(written).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/)
      if (target === ACK) expect(written).toContain("prod?]0;PLANTED-name???x?2J?")
      expect(kubectlReads(file)).toContain(`${target.provider}-${target.region}-${target.id}`)
    })
    fake.clusters = []
  })

  it("a clean answer is written with only the allowed fields, and kubectl reads the file", async () => {
    await pool([TKE, ACK], 2, async (target) => {
      const home = tempDir("clean")
      fs.mkdirSync(join(home, ".kube"))
      const file = join(home, ".kube", "config")
      fs.writeFileSync(file, MINE, { mode: 0o600 })
      fake.kubeconfig = answer({ cluster: "    tls-server-name: api.example.test" })
      const ran = await runCli(
        ["add", target.provider, target.id, "--region", target.region],
        fakeEnv(fake.endpoint, home)
      )
      expect(ran.stderr).toBe("")
      expect(ran.code).toBe(0)
      const name = `${target.provider}-${target.region}-${target.id}`
      const doc = parse(fs.readFileSync(file, "utf8"))
      const cluster = doc.clusters.find((c: { name: string }) => c.name === name).cluster
      const user = doc.users.find((u: { name: string }) => u.name === name).user
      expect(Object.keys(cluster).sort()).toEqual(["certificate-authority-data", "server", "tls-server-name"])
      expect(Object.keys(user).sort()).toEqual(["client-certificate-data", "client-key-data"])
      expect(fs.readFileSync(file, "utf8").startsWith(MINE.slice(0, MINE.indexOf("contexts:")))).toBe(true)
      expect([...kubectlReads(file)].sort()).toEqual([name, "home"].sort())
    })
  })
})
