/**
 * Attacks on the exec credential cache, through the bundled CLI (`kubecred credential`, fast path first) against
 * the local fake cloud: an entry planted where the cache is not ours (a world-writable or foreign-owned directory,
 * a foreign-owned, too-open or hard-linked file, a symlink, a FIFO) is never served: the credential is fetched
 * again, the planted value appears nowhere, and the cache is replaced by our own 0600 file (or, where it cannot
 * be, refused with one warning line). A failed write leaves no temp file.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Cache from "../src/internal/credentialCache.js"
import { cacheKeyFor, parseCredentialArgs } from "../src/internal/credentialFast.js"
import { type FakeCloud, startFakeCloud } from "./fixtures/fakeCloud.js"
import { absentEverywhere, answer, CLIENT_CERT_DATA, fakeEnv, snapshot, TKE } from "./fixtures/hostile.js"
import { ensureBuilt, removeTempDirs, runCli, tempDir } from "./helpers.js"

let fake: FakeCloud
const EXEC_INFO = JSON.stringify({
  apiVersion: "client.authentication.k8s.io/v1",
  kind: "ExecCredential",
  spec: { interactive: false }
})
const ARGS = ["credential", TKE.provider, TKE.id, "--region", TKE.region]
const REAL_CERT = Buffer.from(CLIENT_CERT_DATA, "base64").toString("utf8")
const OTHER_UID = 4242

beforeAll(async () => {
  ensureBuilt()
  fake = await startFakeCloud()
  fake.kubeconfig = answer()
})

afterAll(async () => {
  await fake?.close()
  removeTempDirs()
})

const setup = () => {
  const home = tempDir("cache")
  const env = { ...fakeEnv(fake.endpoint, home), KUBERNETES_EXEC_INFO: EXEC_INFO }
  const dir = env.KUBECRED_CACHE_DIR
  const resolved = cacheKeyFor(parseCredentialArgs(ARGS)!, env)!
  const entry = Cache.cachePath(resolved.key, dir)!
  /** A well-formed, fresh entry for exactly this key: served if kubecred trusted whatever it finds. */
  const planted = (tag: string): string =>
    JSON.stringify({
      version: 1,
      provider: resolved.key.provider,
      region: resolved.key.region,
      clusterId: resolved.key.clusterId,
      endpointKind: resolved.key.endpointKind,
      identityHash: Cache.identityHash(resolved.key),
      clientCertificateData: `PLANTED-cert-${tag}`,
      clientKeyData: `PLANTED-key-${tag}`,
      fetchedAt: Date.now(),
      expiresAt: Date.now() + 86_400_000,
      sources: []
    })
  return { home, env, dir, entry, planted }
}

const credential = (env: Record<string, string | undefined>) => runCli(ARGS, env, { timeout: 30_000 })

/** Served fresh from the fake (not the planted entry), exit 0; returns the run. */
const servedFresh = async (env: Record<string, string | undefined>, tag: string) => {
  const before = fake.requests.length
  const ran = await credential(env)
  expect(ran.code, ran.stderr).toBe(0)
  expect(JSON.parse(ran.stdout).status.clientCertificateData).toBe(REAL_CERT)
  expect(fake.requests.length).toBe(before + 1)
  absentEverywhere(`PLANTED-cert-${tag}`, ran)
  absentEverywhere(`PLANTED-key-${tag}`, ran)
  return ran
}

/** The entry is now our own: a regular 0600 file holding the fetched certificate, no temp file beside it. */
const ownEntry = (dir: string, entry: string) => {
  const stat = fs.lstatSync(entry)
  expect(stat.isFile()).toBe(true)
  expect(stat.mode & 0o777).toBe(0o600)
  expect(stat.uid).toBe(process.getuid!())
  expect(JSON.parse(fs.readFileSync(entry, "utf8")).clientCertificateData).toBe(REAL_CERT)
  expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
  expect(fs.readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([])
}

describe("the exec credential cache is trusted only when it is ours", () => {
  it("control: our own entry is served from the cache without a request", async () => {
    const { env, dir, entry } = setup()
    await servedFresh(env, "none")
    ownEntry(dir, entry)
    const before = fake.requests.length
    const again = await credential(env)
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout).status.clientCertificateData).toBe(REAL_CERT)
    expect(fake.requests.length).toBe(before)
  })

  it("a world-writable cache directory: the planted entry is ignored, the directory made 0700, the entry ours", async () => {
    const { env, dir, entry, planted } = setup()
    fs.mkdirSync(dir, { recursive: true })
    fs.chmodSync(dir, 0o777)
    fs.writeFileSync(entry, planted("ww"), { mode: 0o600 })
    const ran = await servedFresh(env, "ww")
    expect(ran.stderr).toBe("")
    ownEntry(dir, entry)
  })

  it("a foreign-owned, a 0644 and a hard-linked entry are each ignored and replaced", async () => {
    for (const [tag, plant] of [
      ["foreign", (entry: string) => fs.chownSync(entry, OTHER_UID, OTHER_UID)],
      ["open", (entry: string) => fs.chmodSync(entry, 0o644)],
      ["linked", (entry: string) => fs.linkSync(entry, `${entry}.elsewhere`)]
    ] as const) {
      const { env, dir, entry, planted } = setup()
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
      fs.writeFileSync(entry, planted(tag), { mode: 0o600 })
      plant(entry)
      await servedFresh(env, tag)
      ownEntry(dir, entry)
    }
  })

  it("a FIFO at the entry's path does not block; it is replaced by our file", async () => {
    const { env, dir, entry } = setup()
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    expect(spawnSync("mkfifo", [entry]).status).toBe(0)
    await servedFresh(env, "fifo")
    ownEntry(dir, entry)
  })

  it("a symlink at the entry's path is not followed; the link is replaced, its target untouched", async () => {
    const { home, env, dir, entry, planted } = setup()
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    const target = join(home, "elsewhere.json")
    fs.writeFileSync(target, planted("link"), { mode: 0o600 })
    fs.symlinkSync(target, entry)
    const targetBefore = fs.readFileSync(target)
    await servedFresh(env, "link")
    ownEntry(dir, entry)
    expect(fs.readFileSync(target)).toEqual(targetBefore)
  })

  it("a cache directory that is a symlink, or owned by someone else: not read, not written, one warning", async () => {
    for (const tag of ["dirlink", "dirforeign"] as const) {
      const { home, env, dir, entry, planted } = setup()
      fs.mkdirSync(join(home, "planted"), { mode: 0o700 })
      if (tag === "dirlink") fs.symlinkSync(join(home, "planted"), dir)
      else {
        fs.mkdirSync(dir, { mode: 0o700 })
        fs.writeFileSync(entry, planted(tag), { mode: 0o600 })
        fs.chownSync(entry, OTHER_UID, OTHER_UID)
        fs.chownSync(dir, OTHER_UID, OTHER_UID)
      }
      if (tag === "dirlink")
        fs.writeFileSync(join(home, "planted", entry.split("/").pop()!), planted(tag), { mode: 0o600 })
      const before = snapshot(home)
      const ran = await servedFresh(env, tag)
      expect(ran.stderr.trimEnd().split("\n")).toHaveLength(1)
      expect(ran.stderr).toMatch(
        tag === "dirlink"
          ? /^kubecred: warning: the credential cache .+ is a symlink; not caching/
          : new RegExp(`^kubecred: warning: the credential cache .+ owned by uid ${OTHER_UID}; not caching`)
      )
      expect(snapshot(home)).toEqual(before)
    }
  })

  it("a write that fails (the entry's path is a directory) leaves no temp file", async () => {
    const { env, dir, entry } = setup()
    fs.mkdirSync(join(entry, "inside"), { recursive: true, mode: 0o700 })
    fs.chmodSync(dir, 0o700)
    const ran = await servedFresh(env, "dir")
    expect(ran.stderr).toBe("")
    expect(fs.readdirSync(dir)).toEqual([entry.split("/").pop()])
  })

  it("a write that fails on a full disk (tmpfs) leaves no temp file", async () => {
    if (process.getuid?.() !== 0) throw new Error("this test mounts a tmpfs: run it as root (the CI container is)")
    const { env, dir } = setup()
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    expect(spawnSync("mount", ["-t", "tmpfs", "-o", "size=16k,mode=0700", "tmpfs", dir]).status).toBe(0)
    try {
      const fd = fs.openSync(join(dir, "filler"), "w", 0o600)
      try {
        for (;;) fs.writeSync(fd, Buffer.alloc(4096, 1))
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC")
      } finally {
        fs.closeSync(fd)
      }
      const ran = await servedFresh(env, "full")
      expect(ran.stderr).toBe("")
      expect(fs.readdirSync(dir)).toEqual(["filler"])
    } finally {
      spawnSync("umount", [dir])
    }
  })
})
