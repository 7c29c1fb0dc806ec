import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { acquire, inspectLock } from "../../src/internal/lockFile.js"

const options = { timeout: Duration.seconds(10), staleAfter: Duration.seconds(30) }
const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kubecred-lock-")), "config")

/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync("true").pid!

describe("lockFile", () => {
  it.effect("creates <file>.lock with our pid and removes it on release", () =>
    Effect.gen(function* () {
      const file = tempFile()
      yield* Effect.scoped(
        Effect.gen(function* () {
          yield* acquire(file, options)
          const content = fs.readFileSync(`${file}.lock`, "utf8").split("\n")
          expect(content[0]).toBe(String(process.pid))
          expect(Number.isNaN(Date.parse(content[1]!))).toBe(false)
        })
      )
      expect(fs.existsSync(`${file}.lock`)).toBe(false)
    })
  )

  it.effect("waits for a held lock and gives KubeconfigLocked after the timeout", () =>
    Effect.gen(function* () {
      const file = tempFile()
      fs.writeFileSync(`${file}.lock`, "") // kubectl's lock: empty, fresh
      const fiber = yield* Effect.fork(Effect.scoped(acquire(file, options)))
      yield* TestClock.adjust(Duration.seconds(11))
      const error = yield* Effect.flip(Fiber.join(fiber))
      expect(error._tag).toBe("KubeconfigLocked")
      expect(fs.existsSync(`${file}.lock`)).toBe(true) // not ours: left alone
    })
  )

  it.effect("gets the lock once the holder lets go", () =>
    Effect.gen(function* () {
      const file = tempFile()
      fs.writeFileSync(`${file}.lock`, `${process.pid}\n`)
      const fiber = yield* Effect.fork(Effect.scoped(acquire(file, options)))
      yield* TestClock.adjust(Duration.millis(50))
      fs.unlinkSync(`${file}.lock`)
      yield* TestClock.adjust(Duration.seconds(1))
      yield* Fiber.join(fiber)
      expect(fs.existsSync(`${file}.lock`)).toBe(false)
    })
  )

  it.effect("breaks a lock whose process is dead, and an old empty (kubectl) lock", () =>
    Effect.gen(function* () {
      const file = tempFile()
      fs.writeFileSync(`${file}.lock`, `${deadPid()}\n2020-01-01T00:00:00Z\nx\n`)
      expect(inspectLock(`${file}.lock`, options.staleAfter)._tag).toBe("stale")
      yield* Effect.scoped(acquire(file, options))
      fs.writeFileSync(`${file}.lock`, "")
      expect(inspectLock(`${file}.lock`, options.staleAfter)._tag).toBe("held")
      const old = new Date(Date.now() - 60_000)
      fs.utimesSync(`${file}.lock`, old, old)
      expect(inspectLock(`${file}.lock`, options.staleAfter)._tag).toBe("stale")
      yield* Effect.scoped(acquire(file, options))
      expect(fs.existsSync(`${file}.lock`)).toBe(false)
    })
  )
})
