import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as fc from "fast-check"
import { AckClusterId, TkeClusterId } from "../src/ClusterId.js"
import { TemporaryDurationFromString, parseMinutes } from "../src/Duration.js"
import { decodeFetchRequest } from "../src/FetchRequest.js"
import { Provider } from "../src/Provider.js"
import { Region } from "../src/Region.js"
import * as Effect from "effect/Effect"

const decodes = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  Either.isRight(Schema.decodeUnknownEither(schema)(input))

describe("Provider", () => {
  it("decodes the aliases", () => {
    expect(Schema.decodeUnknownSync(Provider)("tke")).toBe("tencent")
    expect(Schema.decodeUnknownSync(Provider)("ack")).toBe("alibaba")
    expect(Schema.decodeUnknownSync(Provider)("alibaba")).toBe("alibaba")
    expect(decodes(Provider, "aws")).toBe(false)
  })
})

describe("cluster ids and regions", () => {
  it("accepts documented forms and rejects what is surely wrong", () => {
    expect(decodes(TkeClusterId, "cls-65r1c5nu")).toBe(true)
    expect(decodes(TkeClusterId, "cls-65R1c5nu")).toBe(false)
    expect(decodes(TkeClusterId, "cls-abc")).toBe(false)
    expect(decodes(TkeClusterId, "c5b5e80b0b64a4bf6939d2d8fbbc5ab12")).toBe(false)
    expect(decodes(AckClusterId, "c5b5e80b0b64a4bf6939d2d8fbbc5ab12")).toBe(true)
    expect(decodes(AckClusterId, "cls-65r1c5nu")).toBe(false)
    expect(decodes(AckClusterId, "c5b5e80b0b64a4bf6939d2d8fbbc5ab1")).toBe(false)
    for (const r of ["ap-guangzhou", "na-siliconvalley", "cn-hangzhou", "ap-southeast-1", "cn-shanghai-finance-1"]) {
      expect(decodes(Region, r)).toBe(true)
    }
    for (const r of ["", "guangzhou", "AP-GUANGZHOU", "ap guangzhou", "ap-guangzhou/../x"]) {
      expect(decodes(Region, r)).toBe(false)
    }
  })

  it("error messages name the value and the expected form", () => {
    const result = Schema.decodeUnknownEither(TkeClusterId)("cls-x")
    expect(Either.isLeft(result) && String(result.left.message)).toContain("expected cls-")
  })
})

describe("durations", () => {
  it("parses human durations", () => {
    expect(parseMinutes("90")).toEqual(Either.right(90))
    expect(parseMinutes("1h30m")).toEqual(Either.right(90))
    expect(parseMinutes("3d")).toEqual(Either.right(4320))
    expect(Either.isLeft(parseMinutes("1x"))).toBe(true)
    expect(Either.isLeft(parseMinutes("h"))).toBe(true)
  })

  it("a temporary duration is 15m to 3d", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (minutes) => {
        const ok = decodes(TemporaryDurationFromString, `${minutes}m`)
        expect(ok).toBe(minutes >= 15 && minutes <= 4320)
      })
    )
  })
})

describe("FetchRequest", () => {
  it.effect("is discriminated by provider and checks the id against it", () =>
    Effect.gen(function* () {
      const ok = yield* decodeFetchRequest({
        _tag: "alibaba",
        region: "cn-hangzhou",
        clusterId: "c5b5e80b0b64a4bf6939d2d8fbbc5ab12",
        endpoint: "public",
        temporaryDurationMinutes: 60
      })
      expect(ok._tag).toBe("alibaba")
      const wrong = yield* Effect.either(
        decodeFetchRequest({
          _tag: "tencent",
          region: "ap-guangzhou",
          clusterId: "c5b5e80b0b64a4bf6939d2d8fbbc5ab12",
          endpoint: "public"
        })
      )
      expect(Either.isLeft(wrong)).toBe(true)
    })
  )
})
