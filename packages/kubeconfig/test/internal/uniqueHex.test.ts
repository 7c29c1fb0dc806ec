import { describe, expect, it } from "@effect/vitest"
import { uniqueHex } from "../../src/internal/uniqueHex.js"

describe("uniqueHex", () => {
  it("gives hex digits of the length asked for, different every time", () => {
    for (const length of [1, 8, 12, 13, 24, 40]) expect(uniqueHex(length)).toMatch(new RegExp(`^[0-9a-f]{${length}}$`))
    const seen = new Set(Array.from({ length: 10_000 }, () => uniqueHex(12)))
    expect(seen.size).toBe(10_000)
  })
})
