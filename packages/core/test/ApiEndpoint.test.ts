import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import { isPlainRemote, warnPlainHttp } from "../src/ApiEndpoint.js"

describe("ApiEndpoint", () => {
  it("plain http to another host is flagged; https and loopback are not", () => {
    expect(isPlainRemote("http://gateway.example.com:8080")).toBe(true)
    expect(isPlainRemote("http://10.0.0.5")).toBe(true)
    for (const quiet of [
      "https://tke.tencentcloudapi.com",
      "http://127.0.0.1:8080",
      "http://localhost:1",
      "http://[::1]:9",
      "not a url"
    ]) {
      expect([quiet, isPlainRemote(quiet)]).toEqual([quiet, false])
    }
  })

  it.effect("warnPlainHttp logs one warning naming the origin, and nothing for loopback", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      const logger = Logger.make(({ logLevel, message }) => lines.push(`${logLevel.label} ${String(message)}`))
      const capture = <A, E>(effect: Effect.Effect<A, E>) =>
        Effect.provide(effect, Logger.replace(Logger.defaultLogger, logger))
      yield* capture(warnPlainHttp("tencent", "http://gateway.example.com:8080/x"))
      yield* capture(warnPlainHttp("tencent", "http://127.0.0.1:8080"))
      yield* capture(warnPlainHttp("alibaba", undefined))
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^WARN tencent API endpoint http:\/\/gateway\.example\.com:8080 is plain http/)
    })
  )
})
