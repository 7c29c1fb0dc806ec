/**
 * Hostile files and someone else's entries, through the bundled CLI against the local fake cloud: every file
 * kind that is not a regular kubeconfig (FIFO, device, socket, directory, invalid UTF-8, control characters,
 * over the size limit, commented flow style, a full disk) is refused with exit 6 and one line, at once and
 * byte for byte intact; a BOM and JSON are written and stay readable by kubectl; a name taken by an entry
 * kubecred did not write is a conflict (exit 6) unless --on-conflict says otherwise; the dry-run diff redacts
 * every secret-bearing field, whatever its YAML style.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse } from "yaml"
import { type FakeCloud, startFakeCloud } from "./fixtures/fakeCloud.js"
import { absentEverywhere, answer, fakeEnv, kubectlReads, oneErrorLine, snapshot, TKE } from "./fixtures/hostile.js"
import { ensureBuilt, removeTempDirs, requireKubectl, runCli, tempDir } from "./helpers.js"

let fake: FakeCloud
const NAME = `${TKE.provider}-${TKE.region}-${TKE.id}`

beforeAll(async () => {
  ensureBuilt()
  requireKubectl()
  fake = await startFakeCloud()
  fake.kubeconfig = answer()
})

afterAll(async () => {
  await fake?.close()
  removeTempDirs()
})

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
    token: PLANTED-my-own-token
`

const homeWith = (content?: string | Buffer) => {
  const home = tempDir("files")
  fs.mkdirSync(join(home, ".kube"))
  const file = join(home, ".kube", "config")
  if (content !== undefined) fs.writeFileSync(file, content, { mode: 0o600 })
  return { home, file }
}

const add = (home: string, ...flags: ReadonlyArray<string>) =>
  runCli(["add", TKE.provider, TKE.id, "--region", TKE.region, ...flags], fakeEnv(fake.endpoint, home))

const refused = async (
  home: string,
  args: ReadonlyArray<string>,
  message: string,
  dirs: ReadonlyArray<string> = [home]
) => {
  const before = dirs.map((dir) => snapshot(dir))
  const ran = await runCli(args, fakeEnv(fake.endpoint, home), { timeout: 30_000 })
  expect(ran.code, ran.stderr).toBe(6)
  expect(oneErrorLine(ran)).toContain(message)
  expect(ran.stdout).toBe("")
  for (const [n, dir] of dirs.entries()) expect(snapshot(dir)).toEqual(before[n])
  return ran
}

const addArgs = ["add", TKE.provider, TKE.id, "--region", TKE.region]

describe("file kinds: only regular files are read or replaced", () => {
  it("a FIFO is refused at once by add and status, and stays a FIFO", async () => {
    const { home, file } = homeWith()
    spawnSync("mkfifo", [file])
    await refused(home, addArgs, "is a FIFO, not a regular file")
    await refused(home, ["status"], "is a FIFO, not a regular file")
    expect(fs.statSync(file).isFIFO()).toBe(true)
  })

  it("~/.kube/config -> /dev/null and --kubeconfig /dev/zero: a device is never replaced or read", async () => {
    const { home, file } = homeWith()
    fs.symlinkSync("/dev/null", file)
    await refused(home, addArgs, "is a character device, not a regular file", [home])
    expect(fs.statSync("/dev/null").isCharacterDevice()).toBe(true)
    expect(fs.existsSync("/dev/null.lock")).toBe(false)
    await refused(home, ["status", "--kubeconfig", "/dev/zero"], "is a character device")
    await refused(home, [...addArgs, "--kubeconfig", "/dev/zero"], "is a character device")
    expect(fs.existsSync("/dev/zero.lock")).toBe(false)
  })

  it("a socket and a directory are refused", async () => {
    const { home, file } = homeWith()
    const server = net.createServer()
    await new Promise<void>((resolve) => server.listen(file, resolve))
    try {
      await refused(home, addArgs, "is a socket, not a regular file")
    } finally {
      server.close()
    }
    const other = homeWith()
    fs.mkdirSync(other.file)
    await refused(other.home, addArgs, "is a directory, not a regular file")
  })

  it("invalid UTF-8 and control characters are refused with where they are", async () => {
    const bad = Buffer.concat([
      Buffer.from(MINE.replace("PLANTED-my-own-token", "PLANTED-x")),
      Buffer.from([0xff, 0x0a])
    ])
    const first = homeWith(bad)
    const ran = await refused(first.home, addArgs, "not valid UTF-8")
    absentEverywhere("PLANTED-x", ran)
    const second = homeWith(MINE.replace("# mine, by hand", "# mine \u001b]0;title\u0007"))
    await refused(second.home, addArgs, "a control character (U+001B) that YAML does not allow")
  })

  it("a kubeconfig over the 64 MiB limit is refused without being read", async () => {
    const { home, file } = homeWith(MINE)
    fs.truncateSync(file, 64 * 1024 * 1024 + 1)
    await refused(home, addArgs, "over the limit of 67108864 bytes")
    await refused(home, ["status"], "over the limit")
  })

  it("a commented file in flow style is refused rather than losing its comments", async () => {
    const flow = `# keep me\n{apiVersion: v1, kind: Config, clusters: [{name: x, cluster: {server: "https://x.example"}}]} # and me\n`
    const { home } = homeWith(flow)
    await refused(home, addArgs, "would be rendered again and lose its comments")
  })

  it("a BOM is kept and JSON is rendered again; kubectl reads both", async () => {
    const bom = homeWith(`\uFEFF${MINE}`)
    const ran = await add(bom.home)
    expect(ran.stderr).toBe("")
    expect(ran.code).toBe(0)
    const text = fs.readFileSync(bom.file, "utf8")
    expect(text.startsWith(`\uFEFF${MINE.slice(0, MINE.indexOf("contexts:"))}`)).toBe(true)
    expect(parse(text.slice(1)).contexts.map((c: { name: string }) => c.name)).toEqual(["home", NAME])
    expect([...kubectlReads(bom.file)].sort()).toEqual(["home", NAME].sort())

    const json = homeWith(JSON.stringify(parse(MINE)))
    const again = await add(json.home)
    expect(again.code, again.stderr).toBe(0)
    expect([...kubectlReads(json.file)].sort()).toEqual(["home", NAME].sort())
  })

  it("a full disk (tmpfs) leaves no empty lock and no temp file, and the kubeconfig intact", async () => {
    if (process.getuid?.() !== 0) throw new Error("this test mounts a tmpfs: run it as root (the CI container is)")
    const { home } = homeWith()
    const dir = join(home, ".kube")
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir]).status).toBe(0)
    try {
      const file = join(dir, "config")
      fs.writeFileSync(file, MINE, { mode: 0o600 })
      // Fill every block that is left.
      const fd = fs.openSync(join(dir, "filler"), "w")
      try {
        const chunk = Buffer.alloc(4096, 1)
        for (;;) fs.writeSync(fd, chunk)
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC")
      } finally {
        fs.closeSync(fd)
      }
      const before = snapshot(dir)
      const ran = await runCli(addArgs, fakeEnv(fake.endpoint, home))
      expect(ran.code, ran.stderr).toBe(6)
      expect(oneErrorLine(ran)).toMatch(/ENOSPC|no space/i)
      expect(snapshot(dir)).toEqual(before)
      expect(fs.readdirSync(dir).sort()).toEqual(["config", "filler"])
    } finally {
      spawnSync("umount", [dir])
    }
  })
})

describe("status shows what a file holds without letting it drive the terminal", () => {
  it("control sequences in context and cluster names are escaped", async () => {
    const evil = '"ev\\e]0;PLANTED-osc\\a\\r\\nil"'
    const { home, file } = homeWith(
      `apiVersion: v1\nkind: Config\nclusters:\n- name: ${evil}\n  cluster:\n    server: https://10.0.0.9\ncontexts:\n- name: ${evil}\n  context:\n    cluster: ${evil}\n    user: u\nusers:\n- name: u\n  user:\n    token: t\n`
    )
    expect(kubectlReads(file)).toHaveLength(1)
    const ran = await runCli(["status"], fakeEnv(fake.endpoint, home))
    expect(ran.code, ran.stderr).toBe(0)
    expect(ran.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/)
    expect(ran.stdout.trimEnd().split("\n")).toHaveLength(2)
    expect(ran.stdout).toContain("ev\\u001b]0;PLANTED-osc\\u0007\\u000d\\u000ail")
  })
})

describe("someone else's entries are never changed by default", () => {
  const ADMIN = `apiVersion: v1
kind: Config
clusters:
- name: admin
  cluster:
    server: https://10.1.1.1:6443
contexts:
- name: admin
  context:
    cluster: admin
    user: admin
- name: ops
  context:
    cluster: admin
    user: admin
current-context: admin
users:
- name: admin
  user:
    token: PLANTED-admin-token
`

  it("add --context admin over hand-written entries: exit 6 with a hint, nothing written; rename adds beside", async () => {
    const { home, file } = homeWith(ADMIN)
    const ran = await refused(
      home,
      [...addArgs, "--context", "admin"],
      'context "admin" exists and kubecred did not write it'
    )
    expect(ran.stderr).toContain("--on-conflict rename")
    expect(ran.stderr).toContain("--on-conflict overwrite")
    absentEverywhere("PLANTED-admin-token", ran)

    const renamed = await add(home, "--context", "admin", "--on-conflict", "rename")
    expect(renamed.code, renamed.stderr).toBe(0)
    expect(renamed.stdout).toContain('renamed context "admin-2"')
    const doc = parse(fs.readFileSync(file, "utf8"))
    const before = parse(ADMIN)
    for (const list of ["clusters", "users", "contexts"]) {
      for (const entry of before[list]) expect(doc[list]).toContainEqual(entry)
    }
    expect([...kubectlReads(file)].sort()).toEqual(["admin", "admin-2", "ops"])
  })

  it("a foreign cluster or user under kubecred's default name is a conflict too", async () => {
    const { home } = homeWith(
      MINE.replace("- name: home\n  cluster:", `- name: ${NAME}\n  cluster:`).replace(
        "cluster: home",
        `cluster: ${NAME}`
      )
    )
    await refused(home, addArgs, `cluster "${NAME}" exists and kubecred did not write it`)
  })

  it("kubecred's own entry is updated in place, but not when another context uses its cluster", async () => {
    const { home, file } = homeWith(MINE)
    expect((await add(home)).code).toBe(0)
    fake.kubeconfig = answer({ cluster: "    tls-server-name: rotated.example.test" })
    try {
      const updated = await add(home)
      expect(updated.code, updated.stderr).toBe(0)
      expect(updated.stdout).toContain(`updated context "${NAME}"`)
      expect([...kubectlReads(file)].sort()).toEqual(["home", NAME].sort())
      // A context written by hand that points at kubecred's cluster.
      const text = fs
        .readFileSync(file, "utf8")
        .replace("contexts:\n", `contexts:\n- name: borrowed\n  context:\n    cluster: ${NAME}\n    user: me\n`)
      fs.writeFileSync(file, text)
      fake.kubeconfig = answer({ cluster: "    tls-server-name: rotated-again.example.test" })
      await refused(home, addArgs, `cluster "${NAME}" is also used by context "borrowed"`)
    } finally {
      fake.kubeconfig = answer()
    }
  })
})

describe("the dry-run diff is redacted by structure", () => {
  const VICTIM = `apiVersion: v1
kind: Config
clusters:
- name: victim
  cluster: {server: "https://10.2.2.2:6443"}
contexts:
- name: victim
  context: {cluster: victim, user: victim}
users:
- name: victim
  user:
    client-key-data: |
      PLANTED-block-scalar-line-1
      PLANTED-block-scalar-line-2
    token: "PLANTED-quoted-token"
    password: 'PLANTED-password'
    auth-provider:
      name: oidc
      config: {client-secret: PLANTED-oidc-secret, refresh-token: PLANTED-refresh, id-token: PLANTED-id}
    exec:
      apiVersion: client.authentication.k8s.io/v1
      command: aws
      env:
      - name: AWS_SECRET_ACCESS_KEY
        value: PLANTED-exec-env
      - {name: OTHER, value: "PLANTED-exec-env-flow"}
`
  const PLANTED = [
    "PLANTED-block-scalar-line-1",
    "PLANTED-block-scalar-line-2",
    "PLANTED-quoted-token",
    "PLANTED-password",
    "PLANTED-oidc-secret",
    "PLANTED-refresh",
    "PLANTED-id",
    "PLANTED-exec-env",
    "PLANTED-exec-env-flow"
  ]

  it("every secret of a replaced entry, in any style, is <redacted>; the file is not touched", async () => {
    const { home } = homeWith(VICTIM)
    const before = snapshot(home)
    const ran = await add(home, "--context", "victim", "--on-conflict", "overwrite", "--dry-run")
    if (process.env.SHOW_DIFF) console.log(ran.stdout)
    expect(ran.stderr).toBe("")
    expect(ran.code).toBe(0)
    expect(ran.stdout).toContain("-    client-key-data: <redacted>")
    expect(ran.stdout).toContain("+    client-key-data: <redacted>")
    expect(ran.stdout).toContain("-        value: <redacted>")
    expect(ran.stdout).toContain("(dry run:")
    for (const planted of PLANTED) absentEverywhere(planted, ran)
    expect(snapshot(home)).toEqual(before)
  })

  it("a file rendered again (JSON) is redacted as a whole", async () => {
    const { home } = homeWith(JSON.stringify(parse(VICTIM)))
    const ran = await add(home, "--dry-run", "-o", "json")
    expect(ran.code, ran.stderr).toBe(0)
    const diff = JSON.parse(ran.stdout).diff as string
    expect(diff).toContain("<redacted>")
    for (const planted of PLANTED) absentEverywhere(planted, ran)
  })
})
