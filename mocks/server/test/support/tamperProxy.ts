/** A man in the middle for tamper tests: forwards to the mock, keeping the Host header, after changing the request. */
import * as http from "node:http"

export interface Tamper {
  readonly url?: (url: string) => string
  readonly body?: (body: string) => string
}

export interface TamperProxy {
  /** host:port to point an SDK at. */
  readonly endpoint: string
  readonly close: () => Promise<void>
}

export const startTamperProxy = async (upstream: string, tamper: Tamper): Promise<TamperProxy> => {
  const target = new URL(upstream)
  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const original = Buffer.concat(chunks).toString("utf8")
      const body = tamper.body && original !== "" ? tamper.body(original) : original
      const headers = { ...req.headers }
      if (headers["content-length"] !== undefined) headers["content-length"] = String(Buffer.byteLength(body))
      const forward = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: tamper.url ? tamper.url(req.url ?? "/") : req.url,
          headers
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
          upstreamRes.pipe(res)
        }
      )
      forward.on("error", () => res.destroy())
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address() as { port: number }
  return {
    endpoint: `127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
