import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { request } from "../src/DirectRequest.js"
import { closedPort, server, urlOf } from "./support/servers.js"

describe("DirectRequest", () => {
  it.scopedLive("goes straight to the host even when HTTP_PROXY names a proxy", () =>
    Effect.gen(function* () {
      const s = yield* server({ body: "ok" })
      const saved = process.env.HTTP_PROXY
      process.env.HTTP_PROXY = "http://127.0.0.1:9"
      yield* Effect.addFinalizer(() =>
        Effect.sync(() => {
          if (saved === undefined) delete process.env.HTTP_PROXY
          else process.env.HTTP_PROXY = saved
        })
      )
      expect(yield* request(urlOf(s), {}, 1000)).toEqual({ status: 200, text: "ok" })
    })
  )

  it.scopedLive("a host that never answers is a timeout; a closed port is its errno code", () =>
    Effect.gen(function* () {
      const s = yield* server("silent")
      expect(yield* Effect.flip(request(urlOf(s), {}, 200))).toBe("no answer within 200 ms")
      expect(yield* Effect.flip(request(yield* closedPort, {}, 1000))).toBe("ECONNREFUSED")
    })
  )
})
