// An in-process Prism for the Tencent contract (docs/decisions.md "Conformance through Prism"): TKE sends every action as `POST /`
// (or `GET /?...`) with the action in X-TC-Action, and Prism routes on path and method only. This router picks the
// operation of the action's virtual path (x-kubecred-virtual-path) by X-TC-Action and method, then lets Prism mock,
// validate and proxy it exactly as `prism mock|proxy --errors` would.
//
// Prism is resolved from the caller's package (`resolveFrom`), which pins its version.
import { createRequire } from "node:module"
import * as http from "node:http"

const MAX_SAFE_HEADER_LENGTH = 8 * 1024 - 100

/**
 * @param {{ spec: string, resolveFrom: string | URL, upstream?: string, errors?: boolean, port?: number, actionFrom?: "header" | "query" }} options
 *   spec: path of tencent-tke.yaml (or another one-path RPC contract); upstream: proxy to this base URL (mock mode
 *   when absent); actionFrom: where the action is named, X-TC-Action (default) or the `Action` query key.
 * @returns {Promise<{ url: string, endpoint: string, close: () => Promise<void> }>}
 */
export const startTencentRouter = async (options) => {
  const require = createRequire(options.resolveFrom)
  const prismHttp = require("@stoplight/prism-http")
  const { createLogger } = require("@stoplight/prism-core")
  const { getHttpConfigFromRequest } = require("@stoplight/prism-http-server/dist/getHttpConfigFromRequest")
  const { serialize } = require("@stoplight/prism-http-server/dist/serialize")

  const operations = await prismHttp.getHttpOperationsFromSpec(options.spec)
  const byAction = new Map()
  for (const operation of operations) {
    const action = operation.path.replace(/^\//, "")
    byAction.set(`${operation.method.toUpperCase()} ${action}`, { ...operation, path: "/" })
  }
  const errors = options.errors ?? true
  const config = {
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    errors,
    upstreamProxy: undefined,
    mock: { dynamic: false },
    ...(options.upstream ? { isProxy: true, upstream: new URL(options.upstream) } : { isProxy: false })
  }
  const logger = createLogger("TKE", { level: "silent" })
  const prism = prismHttp.createInstance(config, { logger })

  // @stoplight/types DiagnosticSeverity: 0 Error, 1 Warning, 2 Information, 3 Hint.
  const severity = (value) => (typeof value === "number" ? ["Error", "Warning", "Information", "Hint"][value] : value)
  const problem = (reply, status, type, title, detail, extra = {}) => {
    reply.writeHead(status, { "content-type": "application/problem+json" })
    reply.end(JSON.stringify({ type: `https://stoplight.io/prism/errors#${type}`, title, status, detail, ...extra }))
  }

  const server = http.createServer((req, reply) => {
    const chunks = []
    req.on("data", (chunk) => chunks.push(chunk))
    req.on("end", async () => {
      try {
        const text = Buffer.concat(chunks).toString("utf8")
        const isJson = (req.headers["content-type"] ?? "").startsWith("application/json")
        let body
        if (text !== "") {
          try {
            body = isJson ? JSON.parse(text) : text
          } catch {
            body = text
          }
        }
        const url = new URL(req.url ?? "/", "http://router.invalid")
        const query = {}
        for (const key of url.searchParams.keys()) {
          const values = url.searchParams.getAll(key)
          query[key] = values.length === 1 ? values[0] : values
        }
        // TKE and its STS name the action in X-TC-Action; Alibaba's RPC products (the STS) in the Action query key.
        const action = options.actionFrom === "query" ? url.searchParams.get("Action") : req.headers["x-tc-action"]
        const operation = byAction.get(`${req.method} ${action}`)
        if (url.pathname !== "/" || operation === undefined) {
          return problem(
            reply,
            400,
            "NO_PATH_MATCHED_ERROR",
            "Route not resolved",
            `no operation for ${req.method} ${url.pathname} with action ${action}`
          )
        }
        const input = { method: req.method.toLowerCase(), url: { path: "/", query }, headers: req.headers, body }
        const preferences = getHttpConfigFromRequest(input)
        if (preferences._tag === "Left")
          return problem(reply, 422, "UNPROCESSABLE_ENTITY", "Invalid Prefer header", String(preferences.left))
        const requestConfig = { ...config, mock: { ...config.mock, ...preferences.right } }
        const result = await prism.request(input, [operation], requestConfig)()
        if (result._tag === "Left") {
          const error = result.left
          return problem(
            reply,
            error.status ?? 500,
            String(error.name ?? "UNKNOWN").replace(/^.*#/, ""),
            error.message,
            error.detail ?? "",
            error.additional ?? {}
          )
        }
        const { output, validations } = result.right
        const violations = [
          ...validations.input.map((v) => ({
            location: ["request", ...(v.path ?? [])],
            severity: severity(v.severity),
            code: v.code,
            message: v.message
          })),
          ...validations.output.map((v) => ({
            location: ["response", ...(v.path ?? [])],
            severity: severity(v.severity),
            code: v.code,
            message: v.message
          }))
        ]
        if (violations.length > 0) {
          let value = JSON.stringify(violations)
          if (value.length > MAX_SAFE_HEADER_LENGTH)
            value = `Too many violations! ${value.slice(0, MAX_SAFE_HEADER_LENGTH)}`
          reply.setHeader("sl-violations", value)
          const blocking = violations.filter((v) => v.location[0] === "response" && v.severity === "Error")
          if (errors && blocking.length > 0) {
            return problem(
              reply,
              500,
              "VIOLATIONS",
              "Request/Response not valid",
              "Your request/response is not valid and the --errors flag is set, so Prism is generating this error for you.",
              { validation: blocking }
            )
          }
        }
        for (const [name, value] of Object.entries(output.headers ?? {})) reply.setHeader(name, value)
        reply.statusCode = output.statusCode
        reply.end(serialize(output.body, reply.getHeader("content-type")))
      } catch (error) {
        if (!reply.headersSent) problem(reply, 500, "UNKNOWN", "Router failure", String(error?.message ?? error))
        else reply.destroy()
      }
    })
  })
  await new Promise((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port ?? 0, "127.0.0.1", resolve)
  })
  const { port } = server.address()
  return {
    url: `http://127.0.0.1:${port}`,
    endpoint: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
