/**
 * The lazy Terminal: building it and asking its size never touches process.stdin (on a pipe that getter builds a
 * socket, about 5 ms of every start); the first display or read builds NodeTerminal's, once.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Terminal from "@effect/platform/Terminal"
import * as Effect from "effect/Effect"
import { vi } from "vitest"
import * as LazyTerminal from "../src/internal/lazyTerminal.js"

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

describe("LazyTerminal", () => {
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
          Effect.scoped(
            Effect.gen(function* () {
              const terminal = yield* LazyTerminal.make
              yield* terminal.columns
              yield* terminal.isTTY
              const untouched = reads()
              yield* terminal.display("first ")
              yield* terminal.display("second")
              return untouched
            })
          )
        )
        expect(before).toBe(0)
        expect(reads()).toBeGreaterThan(0)
        expect(written.join("")).toContain("first second")
      } finally {
        write.mockRestore()
      }
    })
  })

  it.effect("is a Terminal layer", () =>
    Effect.gen(function* () {
      const terminal = yield* Terminal.Terminal
      expect(typeof (yield* terminal.columns)).toBe("number")
    }).pipe(Effect.provide(LazyTerminal.layer))
  )
})
