import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { make } from "../src/KubeconfigStore.js"
import { CLIENT_CERT_NOT_AFTER, CLIENT_KEY_DATA } from "./fixtures/certs.js"
import { changedLines, checkDiff } from "./fixtures/diffCheck.js"
import { FOREIGN, fetchedKubeconfig } from "./fixtures/fetched.js"

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "kubecred-store-"))
const kubectl = (file: string, ...args: Array<string>) =>
  execFileSync("kubectl", ["--kubeconfig", file, ...args], {
    encoding: "utf8",
    env: { ...process.env, KUBECONFIG: "" }
  })
const NAME = "tencent-ap-guangzhou-cls-a1b2c3d4"

describe("KubeconfigStore", () => {
  it.effect("writes a file kubectl reads, 0600, into a new 0700 directory", () =>
    Effect.gen(function* () {
      const home = tempDir()
      const store = yield* make({ env: {}, home })
      const result = yield* store.add(fetchedKubeconfig({ expiresAt: "2026-01-03T03:04:05.000Z" }))
      const file = path.join(home, ".kube", "config")
      expect(result).toMatchObject({ path: file, action: "added", written: true, currentContext: NAME })
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700)
      const view = JSON.parse(kubectl(file, "config", "view", "-o", "json", "--raw"))
      expect(view["current-context"]).toBe(NAME)
      expect(view.users[0].user["client-key-data"]).toBe(CLIENT_KEY_DATA)
      expect(view.contexts[0].context.extensions.map((e: { name: string }) => e.name)).toContain(
        "kubecred.io/provenance"
      )
      expect(kubectl(file, "config", "get-contexts", "-o", "name").trim()).toBe(NAME)
      expect(fs.readdirSync(path.dirname(file))).toEqual(["config"])
    })
  )

  it.effect("creates missing parents one level at a time, each 0700", () =>
    Effect.gen(function* () {
      const root = tempDir()
      const file = path.join(root, "a", "b", "config")
      const store = yield* make({ env: {}, home: root })
      yield* store.add(fetchedKubeconfig({}), { kubeconfig: file })
      expect(fs.statSync(path.join(root, "a")).mode & 0o777).toBe(0o700)
      expect(fs.statSync(path.join(root, "a", "b")).mode & 0o777).toBe(0o700)
      expect(kubectl(file, "config", "get-contexts", "-o", "name").trim()).toBe(NAME)
    })
  )

  it.effect("a parent that cannot be created is a one-line write error, not a hang", () =>
    Effect.gen(function* () {
      const store = yield* make({ env: {}, home: tempDir() })
      const exit = yield* Effect.exit(store.add(fetchedKubeconfig({}), { kubeconfig: "/proc/kubecred-nope/config" }))
      expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("KubeconfigWriteFailed")
    })
  )

  it.effect("turns an existing 0644 file into 0600 and keeps foreign bytes; kubectl reads it", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const file = path.join(dir, "config")
      fs.writeFileSync(file, FOREIGN, { mode: 0o644 })
      fs.chmodSync(file, 0o644)
      const store = yield* make({ env: {}, home: dir })
      yield* store.add(fetchedKubeconfig(), { kubeconfig: file })
      expect(fs.statSync(file).mode & 0o777).toBe(0o600)
      const names = kubectl(file, "config", "get-contexts", "-o", "name").trim().split("\n")
      expect(names.sort()).toEqual(["kind-dev", "prod", "staging", NAME].sort())
      const removed = yield* store.remove({ provider: "tencent" }, { kubeconfig: file })
      expect(removed).toEqual({
        path: file,
        removed: [NAME],
        locations: [{ context: NAME, path: file }],
        searched: [file],
        written: true
      })
      expect(fs.readFileSync(file, "utf8")).toBe(FOREIGN)
      expect(JSON.parse(kubectl(file, "config", "view", "-o", "json"))["current-context"]).toBe("staging")
    })
  )

  it.effect("writes through a symlink, which stays a symlink", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      fs.mkdirSync(path.join(dir, "real"))
      const real = path.join(dir, "real", "kubeconfig")
      fs.writeFileSync(real, FOREIGN)
      const link = path.join(dir, "config")
      fs.symlinkSync("real/kubeconfig", link)
      const store = yield* make({ env: {}, home: dir })
      yield* store.add(fetchedKubeconfig(), { kubeconfig: link })
      expect(fs.lstatSync(link).isSymbolicLink()).toBe(true)
      expect(fs.readFileSync(real, "utf8")).toContain(NAME)
      expect(fs.readdirSync(dir).sort()).toEqual(["config", "real"])
      expect(fs.readdirSync(path.join(dir, "real"))).toEqual(["kubeconfig"])
    })
  )

  it.effect("never overwrites a file it cannot parse", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const file = path.join(dir, "config")
      const broken = "apiVersion: v1\nclusters:\n  - name: a\n  cluster: {\n"
      fs.writeFileSync(file, broken)
      const store = yield* make({ env: {}, home: dir })
      const exit = yield* Effect.exit(store.add(fetchedKubeconfig(), { kubeconfig: file }))
      expect(Exit.isFailure(exit)).toBe(true)
      const error = yield* Effect.flip(store.add(fetchedKubeconfig(), { kubeconfig: file }))
      expect(error).toMatchObject({ _tag: "KubeconfigUnreadable", path: file })
      expect(error.message).toMatch(/config:\d+:\d+/)
      expect(fs.readFileSync(file, "utf8")).toBe(broken)
      expect(fs.existsSync(`${file}.lock`)).toBe(false)
    })
  )

  it.effect("a dry run writes nothing and returns a redacted diff", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const file = path.join(dir, "config")
      fs.writeFileSync(file, FOREIGN)
      const store = yield* make({ env: {}, home: dir })
      const result = yield* store.add(fetchedKubeconfig(), { kubeconfig: file, dryRun: true })
      expect(result).toMatchObject({ action: "added", written: false })
      expect(result.diff).toContain(`+    name: ${NAME}`)
      expect(result.diff).toContain("client-key-data: <redacted>")
      expect(result.diff).not.toContain(CLIENT_KEY_DATA)
      expect(fs.readFileSync(file, "utf8")).toBe(FOREIGN)
    })
  )

  it.effect("addMany writes once; the same fetch again is unchanged and not written", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const file = path.join(dir, "config")
      const store = yield* make({ env: { KUBECONFIG: file }, home: dir })
      const items = ["cls-aaaa0001", "cls-aaaa0002", "cls-aaaa0003"].map((clusterId) => ({
        fetched: fetchedKubeconfig({ clusterId })
      }))
      const results = yield* store.addMany(items)
      expect(results.map((result) => result.action)).toEqual(["added", "added", "added"])
      const again = yield* store.addMany(items.map((item) => ({ ...item, options: { setCurrent: false } })))
      expect(again.map((result) => [result.action, result.written])).toEqual([
        ["unchanged", false],
        ["unchanged", false],
        ["unchanged", false]
      ])
      expect(kubectl(file, "config", "get-contexts", "-o", "name").trim().split("\n")).toHaveLength(3)
    })
  )

  it.effect(
    "addMany's dry run: one diff for the file, on the first item, that turns the file into the real run's",
    () =>
      Effect.gen(function* () {
        const dir = tempDir()
        const file = path.join(dir, "config")
        const store = yield* make({ env: { KUBECONFIG: file }, home: dir })
        yield* store.add(fetchedKubeconfig({ clusterId: "cls-bbbb0001" }))
        const before = fs.readFileSync(file, "utf8")
        const items = ["cls-bbbb0002", "cls-bbbb0003"].map((clusterId) => ({
          fetched: fetchedKubeconfig({ clusterId }),
          options: { setCurrent: false, dryRun: true }
        }))
        const dry = yield* store.addMany(items)
        expect(fs.readFileSync(file, "utf8")).toBe(before)
        expect(dry.map((result) => result.action)).toEqual(["added", "added"])
        expect(dry[1]!.diff).toBe("")
        const diff = dry[0]!.diff
        expect(diff.split("\n").filter((line) => line.startsWith("--- "))).toHaveLength(1)
        expect(diff).not.toContain(CLIENT_KEY_DATA)
        yield* store.addMany(items.map((item) => ({ ...item, options: { setCurrent: false } })))
        const after = fs.readFileSync(file, "utf8")
        checkDiff(before, after, diff, { minimal: false })
        const { removed, added } = changedLines(diff)
        expect(removed).toEqual([])
        for (const id of ["cls-bbbb0002", "cls-bbbb0003"]) expect(added).toContain(`- name: tencent-ap-guangzhou-${id}`)
      })
  )

  it.effect("a write sweeps the stale locks a killed writer had moved aside, and only those of dead writers", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const file = path.join(dir, "config")
      const deadPid = spawnSync(process.execPath, ["-e", "0"]).pid!
      fs.writeFileSync(`${file}.lock.stale-${deadPid}-0a1b2c3d`, "")
      fs.writeFileSync(`${file}.lock.stale-${process.pid}-0a1b2c3d`, "")
      const store = yield* make({ env: {}, home: dir })
      yield* store.add(fetchedKubeconfig({}), { kubeconfig: file })
      expect(fs.readdirSync(dir).sort()).toEqual(["config", `config.lock.stale-${process.pid}-0a1b2c3d`])
    })
  )

  it.effect("inspect and read merge the KUBECONFIG chain first-wins, like kubectl", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const first = path.join(dir, "a.yaml")
      const second = path.join(dir, "b.yaml")
      const store = yield* make({ env: { KUBECONFIG: `${first}:${second}` }, home: dir })
      yield* store.add(fetchedKubeconfig({ expiresAt: "2027-01-01T00:00:00.000Z" }), { kubeconfig: first })
      fs.writeFileSync(second, FOREIGN)
      const statuses = yield* store.inspect()
      const ours = statuses.find((status) => status.name === NAME)!
      expect(ours).toMatchObject({
        file: first,
        managed: true,
        current: true,
        credential: "certificate",
        server: "https://cls-a1b2c3d4.example.test:443"
      })
      expect(ours.certificateNotAfter?.toISOString()).toBe(CLIENT_CERT_NOT_AFTER.toISOString())
      expect(ours.expiresAt?.toISOString()).toBe("2027-01-01T00:00:00.000Z")
      expect(statuses.find((status) => status.name === "prod")).toMatchObject({
        file: second,
        managed: false,
        credential: "token",
        certificateNotAfter: undefined
      })
      const merged = yield* store.read()
      expect(merged["current-context"]).toBe(NAME)
      expect(merged.contexts?.map((context) => context.name)).toEqual([NAME, "prod", "staging", "kind-dev"])
      const chain = JSON.parse(
        execFileSync("kubectl", ["config", "view", "-o", "json"], {
          encoding: "utf8",
          env: { ...process.env, KUBECONFIG: `${first}:${second}` }
        })
      )
      expect(chain["current-context"]).toBe(merged["current-context"])
    })
  )
})
