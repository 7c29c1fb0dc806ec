/**
 * KUBECONFIG chains, checked against real kubectl reading the same chain: an entry is updated in the file
 * that defines it, a removal takes it out of every file, current-context is set (and restored) where kubectl
 * obeys it, and a write waits for the lock of every file in the chain.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { make } from "../src/KubeconfigStore.js"
import { FOREIGN, fetchedKubeconfig } from "./fixtures/fetched.js"

const NAME = "tencent-ap-guangzhou-cls-a1b2c3d4"

const setup = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubecred-chain-"))
  const first = path.join(dir, "a.yaml")
  const second = path.join(dir, "b.yaml")
  const chain = `${first}:${second}`
  const kubectl = (...args: Array<string>) =>
    execFileSync("kubectl", args, { encoding: "utf8", env: { ...process.env, KUBECONFIG: chain } })
  const contexts = () => kubectl("config", "get-contexts", "-o", "name").trim().split("\n").filter(Boolean)
  const namesIn = (file: string) =>
    JSON.parse(
      execFileSync("kubectl", ["--kubeconfig", file, "config", "view", "-o", "json"], {
        encoding: "utf8",
        env: { ...process.env, KUBECONFIG: "" }
      })
    )
      .contexts?.map((context: { name: string }) => context.name)
      .sort() ?? []
  return { dir, first, second, chain, kubectl, contexts, namesIn }
}

describe("KUBECONFIG chain", () => {
  it.effect("an entry defined in a later file is updated there; current-context goes where kubectl obeys it", () =>
    Effect.gen(function* () {
      const { dir, first, second, chain, kubectl, contexts, namesIn } = setup()
      const store = yield* make({ env: { KUBECONFIG: chain }, home: dir })
      // Neither file exists: the write target is the last entry (kubectl's rule).
      const added = yield* store.add(fetchedKubeconfig({ expiresAt: "2027-01-01T00:00:00.000Z" }))
      expect(added).toMatchObject({ path: second, action: "added", written: true })
      fs.writeFileSync(first, FOREIGN)
      const secondBefore = fs.readFileSync(second, "utf8")

      // Fetched again with a new expiry: updated in b.yaml, which defines it; a.yaml gets the current-context.
      const preview = yield* store.add(fetchedKubeconfig({ expiresAt: "2027-06-01T00:00:00.000Z" }), { dryRun: true })
      expect(preview).toMatchObject({ path: second, action: "updated", written: false, currentContext: NAME })
      expect(preview.diff).toContain(first)
      const again = yield* store.add(fetchedKubeconfig({ expiresAt: "2027-06-01T00:00:00.000Z" }))
      expect(again).toMatchObject({ path: second, action: "updated", written: true, currentContext: NAME })
      expect(again.diff).toBe("")
      expect(namesIn(first)).toEqual(["kind-dev", "prod", "staging"])
      expect(namesIn(second)).toEqual([NAME])
      expect(fs.readFileSync(second, "utf8")).not.toBe(secondBefore)
      expect(contexts().filter((name) => name === NAME)).toHaveLength(1)
      expect(kubectl("config", "current-context").trim()).toBe(NAME)

      // Removal takes it out of b.yaml and gives a.yaml its own current-context back, byte for byte.
      const removed = yield* store.remove({ contexts: [NAME] })
      expect(removed).toMatchObject({
        path: second,
        removed: [NAME],
        locations: [{ context: NAME, path: second }],
        searched: [first, second],
        written: true
      })
      expect(fs.readFileSync(first, "utf8")).toBe(FOREIGN)
      expect(contexts()).not.toContain(NAME)
      expect(kubectl("config", "current-context").trim()).toBe("staging")
      // b.yaml's own current-context (set when it was the write target) goes back to what it was: absent.
      const alone = JSON.parse(
        execFileSync("kubectl", ["--kubeconfig", second, "config", "view", "-o", "json"], {
          encoding: "utf8",
          env: { ...process.env, KUBECONFIG: "" }
        })
      )
      expect(alone["current-context"] ?? "").toBe("")
      expect(alone.contexts ?? []).toEqual([])
    })
  )

  it.effect("a new entry goes to the first file that exists; an unchanged one writes nothing", () =>
    Effect.gen(function* () {
      const { dir, first, second, chain, contexts, namesIn } = setup()
      fs.writeFileSync(second, FOREIGN)
      const store = yield* make({ env: { KUBECONFIG: chain }, home: dir })
      const added = yield* store.add(fetchedKubeconfig({}), { setCurrent: false })
      expect(added).toMatchObject({ path: second, action: "added" })
      fs.writeFileSync(first, "apiVersion: v1\nkind: Config\n")
      const other = yield* store.add(fetchedKubeconfig({ clusterId: "cls-b2c3d4e5" }), { setCurrent: false })
      expect(other).toMatchObject({ path: first, action: "added", written: true })
      const before = [fs.readFileSync(first, "utf8"), fs.readFileSync(second, "utf8")]
      const unchanged = yield* store.add(fetchedKubeconfig({}), { setCurrent: false })
      expect(unchanged).toMatchObject({ path: second, action: "unchanged", written: false })
      expect([fs.readFileSync(first, "utf8"), fs.readFileSync(second, "utf8")]).toEqual(before)
      expect(namesIn(first)).toEqual(["tencent-ap-guangzhou-cls-b2c3d4e5"])
      expect(contexts().sort()).toEqual(
        ["kind-dev", "prod", "staging", NAME, "tencent-ap-guangzhou-cls-b2c3d4e5"].sort()
      )
    })
  )

  it.effect("a removal takes the context out of every file that has it, so kubectl shows no other copy", () =>
    Effect.gen(function* () {
      const { dir, first, second, chain, contexts, namesIn } = setup()
      const store = yield* make({ env: { KUBECONFIG: chain }, home: dir })
      fs.writeFileSync(second, FOREIGN)
      yield* store.add(fetchedKubeconfig({}), { kubeconfig: first })
      yield* store.add(fetchedKubeconfig({}), { kubeconfig: second, setCurrent: false })
      expect(contexts().filter((name) => name === NAME)).toHaveLength(1)
      const dryRun = yield* store.remove({ provider: "tencent" }, { dryRun: true })
      expect(dryRun).toMatchObject({ removed: [NAME], written: false })
      expect(dryRun.locations).toEqual([
        { context: NAME, path: first },
        { context: NAME, path: second }
      ])
      expect(namesIn(first)).toEqual([NAME])
      const removed = yield* store.remove({ provider: "tencent" })
      expect(removed).toMatchObject({ removed: [NAME], written: true })
      expect(contexts()).not.toContain(NAME)
      expect(fs.readFileSync(second, "utf8")).toBe(FOREIGN)
    })
  )

  it.live("a write waits for the lock of every file in the chain, not only the one it writes", () =>
    Effect.gen(function* () {
      const { dir, first, second, chain } = setup()
      fs.writeFileSync(first, "apiVersion: v1\nkind: Config\n")
      fs.writeFileSync(second, FOREIGN)
      // kubectl's own lock on the second file (an empty `<file>.lock`), as `kubectl config` holds while it writes.
      fs.writeFileSync(`${second}.lock`, "")
      const store = yield* make({
        env: { KUBECONFIG: chain },
        home: dir,
        lockTimeout: Duration.millis(300),
        staleLockAfter: Duration.minutes(5)
      })
      const exit = yield* Effect.exit(store.add(fetchedKubeconfig({})))
      expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("KubeconfigLocked")
      expect(fs.readFileSync(first, "utf8")).toBe("apiVersion: v1\nkind: Config\n")
      fs.rmSync(`${second}.lock`)
      const added = yield* store.add(fetchedKubeconfig({}))
      expect(added).toMatchObject({ path: first, action: "added", written: true })
      expect(fs.readdirSync(dir).filter((name) => name.endsWith(".lock"))).toEqual([])
    })
  )
})
