import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { request } from "../src/DirectRequest.js"

/** A 127.0.0.1 server: answers `ok`, or never answers. */
const server = (answers: boolean) =>
  Effect.acquireRelease(
    Effect.async<Server>((resume) => {
      const s = createServer((_, res) => {
        if (answers) res.end("ok")
      })
      s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
    }),
    (s) =>
      Effect.async<void>((resume) => {
        s.closeAllConnections()
        s.close(() => resume(Effect.void))
      })
  )

const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`

describe("DirectRequest", () => {
  it.scopedLive("goes straight to the host even when HTTP_PROXY names a proxy", () =>
    Effect.gen(function* () {
      const s = yield* server(true)
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
      const s = yield* server(false)
      expect(yield* Effect.flip(request(urlOf(s), {}, 200))).toBe("no answer within 200 ms")
      const closed = yield* Effect.async<number>((resume) => {
        const t = createServer()
        t.listen(0, "127.0.0.1", () => {
          const port = (t.address() as AddressInfo).port
          t.close(() => resume(Effect.succeed(port)))
        })
      })
      expect(yield* Effect.flip(request(`http://127.0.0.1:${closed}/`, {}, 1000))).toBe("ECONNREFUSED")
    })
  )
})
