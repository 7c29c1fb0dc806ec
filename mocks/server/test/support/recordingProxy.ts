/** A pass-through proxy that keeps the Host header and records every exchange, for conformance checks. */
import * as http from "node:http"

export interface Exchange {
  readonly method: string
  readonly url: string
  readonly action: string
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

export interface RecordingProxy {
  /** host:port to point an SDK at. */
  readonly endpoint: string
  /** Where requests go; may be set after start (the mock needs this proxy's host before the upstream exists). */
  upstream: string
  readonly exchanges: Array<Exchange>
  readonly close: () => Promise<void>
}

export const startRecordingProxy = async (): Promise<RecordingProxy> => {
  const proxy: RecordingProxy = {
    endpoint: "",
    upstream: "",
    exchanges: [],
    close: async () => {}
  }
  const server = http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const target = new URL(proxy.upstream)
      const forward = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstream) => {
          const body: Array<Buffer> = []
          upstream.on("data", (chunk: Buffer) => body.push(chunk))
          upstream.on("end", () => {
            const text = Buffer.concat(body)
            proxy.exchanges.push({
              method: req.method ?? "",
              url: req.url ?? "",
              action: String(req.headers["x-tc-action"] ?? req.headers["x-acs-action"] ?? ""),
              status: upstream.statusCode ?? 0,
              headers: upstream.headers,
              body: text.toString("utf8")
            })
            res.writeHead(upstream.statusCode ?? 502, upstream.headers)
            res.end(text)
          })
        }
      )
      forward.on("error", () => res.destroy())
      forward.end(Buffer.concat(chunks))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as { port: number }
  return Object.assign(proxy, {
    endpoint: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  })
}

/** Exchanges Prism flagged: an sl-violations header, or Prism's own problem+json (violations, 422, 401). */
export const flagged = (exchanges: ReadonlyArray<Exchange>) =>
  exchanges.filter(
    (e) =>
      e.headers["sl-violations"] !== undefined ||
      String(e.headers["content-type"] ?? "").startsWith("application/problem+json")
  )
