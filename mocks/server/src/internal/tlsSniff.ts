/**
 * HTTPS and plain HTTP on one port: a connection whose first byte opens a TLS handshake (0x16) is served by an
 * HTTPS server whose requests the plain server handles; any other byte goes to the plain server as it was.
 */
import type * as http from "node:http"
import * as https from "node:https"
import type * as net from "node:net"
import { Duplex } from "node:stream"

const TLS_HANDSHAKE = 0x16

/** TLS needs a JS stream here: the chunk already read must reach it, and a socket's handle would skip it. */
const replaying = (socket: net.Socket): Duplex => {
  const duplex = new Duplex({
    read: () => {
      socket.resume()
    },
    write: (data, encoding, done) => {
      socket.write(data, encoding, done)
    },
    final: (done) => {
      socket.end()
      done()
    },
    destroy: (error, done) => {
      socket.destroy(error ?? undefined)
      done(error)
    }
  })
  socket.on("data", (data) => {
    if (!duplex.push(data)) socket.pause()
  })
  socket.on("end", () => duplex.push(null))
  socket.on("close", () => duplex.destroy())
  socket.on("error", (error) => duplex.destroy(error))
  return duplex
}

/**
 * Makes `server` also speak TLS (with `options`) on its port. Returns the function that destroys every open
 * connection, plain or TLS, for shutdown.
 */
export const speakTls = (server: http.Server, options: https.ServerOptions): (() => void) => {
  const secure = https.createServer(options)
  secure.on("request", (request, response) => server.emit("request", request, response))
  const plain = server.listeners("connection") as Array<(socket: net.Socket) => void>
  server.removeAllListeners("connection")
  const open = new Set<net.Socket>()
  server.on("connection", (socket: net.Socket) => {
    open.add(socket)
    socket.once("close", () => open.delete(socket))
    socket.once("data", (chunk: Buffer) => {
      socket.pause()
      socket.unshift(chunk)
      if (chunk[0] === TLS_HANDSHAKE) secure.emit("connection", replaying(socket))
      else for (const listener of plain) listener.call(server, socket)
      socket.resume()
    })
  })
  return () => {
    for (const socket of open) socket.destroy()
  }
}
