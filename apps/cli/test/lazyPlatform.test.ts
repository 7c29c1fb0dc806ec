/**
 * The platform services given to @effect/cli, built on first use: the terminal never touches process.stdin until
 * something reads or displays (on a pipe that getter builds a socket, about 5 ms of every start), then builds
 * NodeTerminal's once; the file system and path services are the real ones, built when first read.
 */
import { describe, expect, it } from "@effect/vitest"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Terminal from "@effect/platform/Terminal"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { vi } from "vitest"
import * as LazyPlatform from "../src/internal/lazyPlatform.js"

/** Counts reads of process.stdin while `body` runs (the getter is node's own, put back afterwards). */
const countingStdinReads = async <A>(body: (reads: () => number) => Promise<A>): Promise<A> => {
  const original = Object.getOwnPropertyDescriptor(process, "stdin")
  if (original?.get === undefined) throw new Error("process.stdin is not a getter here")
  let reads = 0
  Object.defineProperty(process, "stdin", {
    configurable: true,
    enumerable: original.enumerable ?? false,
    get() {
      reads++
      return original.get?.call(process)
    }
  })
  try {
    return await body(() => reads)
  } finally {
    Object.defineProperty(process, "stdin", original)
  }
}

describe("LazyPlatform.terminal", () => {
  it("is built, and answers columns and isTTY, without reading stdin; display builds NodeTerminal's once", async () => {
    await countingStdinReads(async (reads) => {
      const written: Array<string> = []
      const write = vi.spyOn(process.stdout, "write").mockImplementation(((chunk: unknown, callback?: unknown) => {
        written.push(String(chunk))
        if (typeof callback === "function") callback()
        return true
      }) as typeof process.stdout.write)
      try {
        const before = await Effect.runPromise(
          Effect.gen(function* () {
            const terminal = LazyPlatform.terminal()
            yield* terminal.columns
            yield* terminal.isTTY
            const untouched = reads()
            yield* terminal.display("first ")
            yield* terminal.display("second")
            return untouched
          })
        )
        expect(before).toBe(0)
        expect(reads()).toBeGreaterThan(0)
        expect(written.join("")).toContain("first second")
      } finally {
        write.mockRestore()
      }
    })
  })
})

describe("LazyPlatform.onFirstUse and providePlatform", () => {
  it("builds the real service the first time a member is read, once", async () => {
    let builds = 0
    const counted = Layer.effect(
      FileSystem.FileSystem,
      Effect.sync(() => builds++).pipe(
        Effect.zipRight(Effect.scoped(Layer.build(NodeFileSystem.layer))),
        Effect.map(Context.get(FileSystem.FileSystem))
      )
    )
    const service = LazyPlatform.onFirstUse(FileSystem.FileSystem, counted)
    expect(builds).toBe(0)
    const dir = fs.mkdtempSync(join(tmpdir(), "kubecred-lazy-"))
    try {
      fs.writeFileSync(join(dir, "a"), "text")
      expect(await Effect.runPromise(service.exists(join(dir, "a")))).toBe(true)
      expect(await Effect.runPromise(service.exists(join(dir, "b")))).toBe(false)
      expect(await Effect.runPromise(service.readFileString(join(dir, "a")))).toBe("text")
      expect(builds).toBe(1)
      expect("exists" in service).toBe(true)
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  it.effect("provides FileSystem, Path and Terminal that work", () =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      expect(path.join("a", "b")).toBe(join("a", "b"))
      const files = yield* FileSystem.FileSystem
      expect(yield* files.exists(tmpdir())).toBe(true)
      const terminal = yield* Terminal.Terminal
      expect(typeof (yield* terminal.columns)).toBe("number")
    }).pipe(LazyPlatform.providePlatform)
  )
})
