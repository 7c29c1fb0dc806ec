/**
 * A full disk when the lock is taken: the lock file is created (an inode is free) but writing our pid into it
 * fails with ENOSPC. The empty `<file>.lock` must not stay behind (kubectl would refuse the file while it is
 * there). The failure is injected into node:fs for the lock's descriptor only; the CLI suite does the same on a
 * real full tmpfs.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { vi } from "vitest"
import { make } from "../../src/KubeconfigStore.js"
import { FOREIGN, fetchedKubeconfig } from "../fixtures/fetched.js"

const inject = vi.hoisted(() => ({ on: false, fd: -1 }))

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>()
  const openSync = ((file: fs.PathLike, ...rest: Array<never>) => {
    const fd = (real.openSync as (...args: Array<unknown>) => number)(file, ...rest)
    if (inject.on && String(file).endsWith(".lock")) inject.fd = fd
    return fd
  }) as typeof real.openSync
  const writeSync = ((fd: number, ...rest: Array<never>) => {
    if (inject.on && fd === inject.fd) {
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" })
    }
    return (real.writeSync as (...args: Array<unknown>) => number)(fd, ...rest)
  }) as typeof real.writeSync
  return { ...real, default: { ...real, openSync, writeSync }, openSync, writeSync }
})

describe("the lock on a full disk", () => {
  it.effect("a lock whose write fails (ENOSPC) is removed: no empty <file>.lock, the file intact", () =>
    Effect.gen(function* () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubecred-lockfull-"))
      const file = path.join(dir, "config")
      fs.writeFileSync(file, FOREIGN)
      const store = yield* make({ env: {}, home: dir })
      inject.on = true
      const exit = yield* Effect.exit(store.add(fetchedKubeconfig(), { kubeconfig: file }))
      inject.on = false
      expect(inject.fd).toBeGreaterThan(-1)
      expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("ENOSPC")
      expect(fs.readdirSync(dir)).toEqual(["config"])
      expect(fs.readFileSync(file, "utf8")).toBe(FOREIGN)
    })
  )
})
