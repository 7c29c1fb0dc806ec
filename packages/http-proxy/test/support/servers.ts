/** 127.0.0.1 servers for the request modules' tests. */
import * as Effect from "effect/Effect"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"

/** A server that answers with `body`, resets the connection, or never answers; closed with the scope. */
export const server = (behaviour: { readonly body: string } | "reset" | "silent") =>
  Effect.acquireRelease(
    Effect.async<Server>((resume) => {
      const s = createServer((req, res) => {
        if (behaviour === "reset") req.socket.destroy()
        else if (behaviour !== "silent") res.end(behaviour.body)
      })
      s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
    }),
    (s) =>
      Effect.async<void>((resume) => {
        s.closeAllConnections()
        s.close(() => resume(Effect.void))
      })
  )

export const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/`

/** The URL of a port that was just closed: connecting is refused. */
export const closedPort = Effect.async<string>((resume) => {
  const t = createServer()
  t.listen(0, "127.0.0.1", () => {
    const target = urlOf(t)
    t.close(() => resume(Effect.succeed(target)))
  })
})
