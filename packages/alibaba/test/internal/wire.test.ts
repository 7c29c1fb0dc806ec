import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import { decodeClustersBody, decodeKubeconfigBody, errorEnvelope } from "../../src/internal/wire.js"

describe("ACK wire", () => {
  it("wire schemas", () => {
    expect(Either.isRight(decodeKubeconfigBody({ config: "x", expiration: null }))).toBe(true)
    expect(Either.isLeft(decodeKubeconfigBody({ config: 42 }))).toBe(true)
    expect(Either.isLeft(decodeKubeconfigBody({ config: "" }))).toBe(true)
    expect(Either.isLeft(decodeClustersBody({ clusters: [] }))).toBe(true)
    expect(
      Either.isRight(decodeClustersBody({ clusters: [], page_info: { page_number: 1, page_size: 10, total_count: 0 } }))
    ).toBe(true)
    expect(errorEnvelope({ Code: "A", Message: "m", RequestId: "r" })).toMatchObject({
      code: "A",
      message: "m",
      requestId: "r"
    })
    expect(errorEnvelope({ code: "B", message: "n", requestId: "s" })).toMatchObject({
      code: "B",
      message: "n",
      requestId: "s"
    })
    expect(errorEnvelope("<html>")).toEqual({})
  })
})
