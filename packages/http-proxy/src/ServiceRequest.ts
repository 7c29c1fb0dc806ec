/**
 * One request to a cloud's security token service (or a credentials URI) for the credential chains: node:http(s)
 * through the proxy agents the environment names (HTTPS_PROXY, NO_PROXY), optionally trusting one extra CA for
 * this request alone (the mock cloud's, given by its ready file; never process-wide), a timeout that aborts the
 * request, and a body read up to a limit. Failures are one short reason (an errno code, the timeout, the limit),
 * never the request's content.
 */
import * as Effect from "effect/Effect"
import * as Http from "node:http"
import * as Https from "node:https"
import * as ProxyAgents from "./ProxyAgents.js"
import { reasonOf } from "./SystemError.js"

export interface Reply {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly text: string
}

export interface RequestOptions {
  readonly method: "GET" | "POST"
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: string
  /** The environment the proxy variables are read from. */
  readonly env: ProxyAgents.Env
  /** A PEM CA trusted for this request only, besides the system's. */
  readonly ca?: string | undefined
  readonly timeoutMillis?: number
  readonly maxBytes?: number
}

const DEFAULT_TIMEOUT = 10_000
const TIMED_OUT = "no answer within"
const DEFAULT_MAX_BYTES = 1 << 20

const agentFor = async (url: URL, options: RequestOptions): Promise<{ agent: Http.Agent; release: () => void }> => {
  if (options.ca !== undefined && url.protocol === "https:") {
    // a CA of our own means a local test cloud: direct, never through a proxy
    const agent = new Https.Agent({ ca: options.ca })
    return { agent, release: () => agent.destroy() }
  }
  const agents = await ProxyAgents.make(options.env)
  return { agent: url.protocol === "https:" ? agents.https : agents.http, release: agents.destroy }
}

export const send = (target: string, options: RequestOptions): Effect.Effect<Reply, string> =>
  Effect.async<Reply, string>((resume, signal) => {
    let url: URL
    try {
      url = new URL(target)
    } catch {
      resume(Effect.fail("not a URL"))
      return
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      resume(Effect.fail(`${url.protocol} is not http or https`))
      return
    }
    const limit = options.maxBytes ?? DEFAULT_MAX_BYTES
    let release = () => {}
    signal.addEventListener("abort", () => release())
    const done = (effect: Effect.Effect<Reply, string>) => {
      release()
      resume(effect)
    }
    agentFor(url, options).then(
      (picked) => {
        release = picked.release
        const module = url.protocol === "https:" ? Https : Http
        const body = options.body === undefined ? undefined : Buffer.from(options.body, "utf8")
        const request = module.request(
          url,
          {
            method: options.method,
            agent: picked.agent,
            signal,
            headers: { ...options.headers, ...(body === undefined ? {} : { "content-length": String(body.length) }) }
          },
          (response) => {
            const chunks: Array<Buffer> = []
            let size = 0
            response.on("data", (chunk: Buffer) => {
              size += chunk.length
              if (size > limit) {
                response.destroy()
                done(Effect.fail(`the answer is larger than ${limit} bytes`))
                return
              }
              chunks.push(chunk)
            })
            response.on("error", (error: NodeJS.ErrnoException) => done(Effect.fail(error.code ?? error.message)))
            response.on("end", () => {
              if (size > limit) return
              done(
                Effect.succeed({
                  status: response.statusCode ?? 0,
                  headers: response.headers,
                  text: Buffer.concat(chunks).toString("utf8")
                })
              )
            })
          }
        )
        request.on("error", (error: NodeJS.ErrnoException) => {
          if (signal.aborted) return
          done(Effect.fail(error.code ?? error.message))
        })
        request.end(body)
      },
      (error: Error) => done(Effect.fail(error.message))
    )
  }).pipe(
    Effect.timeoutFail({
      duration: options.timeoutMillis ?? DEFAULT_TIMEOUT,
      onTimeout: () => `${TIMED_OUT} ${options.timeoutMillis ?? DEFAULT_TIMEOUT} ms`
    })
  )

/**
 * Whether a reason `send` failed with means that no answer came (a timeout, a refused or reset connection, a name
 * that did not resolve), which another try may not meet, rather than a target that is wrong (not a URL, not http,
 * a certificate not trusted) or an answer over the limit.
 */
export const isNoAnswer = (reason: string): boolean => reason.startsWith(TIMED_OUT) || reasonOf(reason) !== "other"
