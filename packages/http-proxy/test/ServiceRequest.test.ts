import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { isNoAnswer, send } from "../src/ServiceRequest.js"
import { closedPort, server, urlOf } from "./support/servers.js"

const failureOf = (target: string, options: { readonly timeoutMillis?: number; readonly maxBytes?: number } = {}) =>
  Effect.flip(send(target, { method: "POST", env: {}, ...options }))

describe("ServiceRequest.isNoAnswer", () => {
  it.scopedLive("no answer (a timeout, a reset, a closed port) is told from a wrong target or a bad answer", () =>
    Effect.gen(function* () {
      const silent = yield* failureOf(urlOf(yield* server("silent")), { timeoutMillis: 200 })
      const reset = yield* failureOf(urlOf(yield* server("reset")))
      const closed = yield* failureOf(yield* closedPort)
      for (const reason of [silent, reset, closed]) expect(isNoAnswer(reason), reason).toBe(true)
      expect([silent, reset, closed]).toEqual(["no answer within 200 ms", "ECONNRESET", "ECONNREFUSED"])

      const big = yield* failureOf(urlOf(yield* server({ body: "x".repeat(2000) })), { maxBytes: 1000 })
      const notUrl = yield* failureOf("not a url")
      const ftp = yield* failureOf("ftp://127.0.0.1/")
      for (const reason of [big, notUrl, ftp, "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "ERR_TLS_CERT_ALTNAME_INVALID"]) {
        expect(isNoAnswer(reason), reason).toBe(false)
      }
    })
  )
})
