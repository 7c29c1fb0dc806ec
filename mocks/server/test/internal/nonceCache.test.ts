import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as NonceCache from "../../src/internal/nonceCache.js"

describe("NonceCache", () => {
  it.effect("a nonce is accepted once within 15 minutes, again after", () =>
    Effect.gen(function* () {
      const nonces = yield* NonceCache.NonceCache
      expect(yield* nonces.claim("n1")).toBe(true)
      expect(yield* nonces.claim("n1")).toBe(false)
      expect(yield* nonces.claim("n2")).toBe(true)
      yield* TestClock.adjust("14 minutes")
      expect(yield* nonces.claim("n1")).toBe(false)
      yield* TestClock.adjust("2 minutes")
      expect(yield* nonces.claim("n1")).toBe(true)
    }).pipe(Effect.provide(NonceCache.layer))
  )
})
