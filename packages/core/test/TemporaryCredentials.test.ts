import { describe, expect, it } from "@effect/vitest"
import { REFRESH_BEFORE_EXPIRY_MILLIS, stillFresh } from "../src/TemporaryCredentials.js"

describe("TemporaryCredentials.stillFresh", () => {
  it("keeps credentials without an expiry, and those more than five minutes from it", () => {
    const now = Date.UTC(2030, 0, 1)
    expect(REFRESH_BEFORE_EXPIRY_MILLIS).toBe(300_000)
    expect(stillFresh(undefined, now)).toBe(true)
    expect(stillFresh(new Date(now + 300_001), now)).toBe(true)
    expect(stillFresh(new Date(now + 300_000), now)).toBe(false)
    expect(stillFresh(new Date(now - 1), now)).toBe(false)
  })
})
