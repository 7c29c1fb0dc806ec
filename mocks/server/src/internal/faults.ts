/** Fault injection: latency, documented errors, bare statuses, resets, truncation, garbage, hangs. */
import { HttpServerRequest } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Duration, Effect } from "effect"
import * as AlibabaApi from "./alibabaApi.js"
import { alibabaError } from "./alibabaErrors.js"
import type { Provider } from "./provider.js"
import { htmlStatus, type Reply, type RequestFacts } from "./reply.js"
import * as TencentApi from "./tencentApi.js"
import type { FaultRule } from "./types.js"

const HTML_OK: Reply = {
  status: 200,
  headers: { "content-type": "text/html" },
  body: "<!DOCTYPE html><html><head><title>Service Maintenance</title></head><body><h1>We'll be back soon.</h1></body></html>"
}

/** Replies a fault rule makes instead of the real answer; undefined when the real answer should be produced. */
const replacement = (provider: Provider, rule: FaultRule, facts: RequestFacts): Reply | undefined => {
  if (rule.httpStatus !== undefined) return htmlStatus(rule.httpStatus)
  if (rule.nonJson) return HTML_OK
  if (rule.emptyBody) return { status: 200, headers: { "content-type": "application/json" }, body: "" }
  if (rule.wrongShape) return provider === "tencent" ? TencentApi.wrongShape(facts) : AlibabaApi.wrongShape()
  if (rule.error !== undefined) {
    return provider === "tencent"
      ? TencentApi.errorEnvelope(facts, rule.error.code, rule.error.message)
      : alibabaError(rule.error)
  }
  return undefined
}

const truncated = (reply: Reply): Reply => ({ ...reply, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) })

/**
 * Runs `real` under an optional fault rule. A reset or a hang never completes: the fiber ends when the
 * connection closes (the server interrupts it) or when the mock stops (it destroys open connections).
 */
export const apply = <E, R>(
  provider: Provider,
  rule: FaultRule | undefined,
  facts: RequestFacts,
  real: Effect.Effect<Reply, E, R>
): Effect.Effect<Reply, E, R | HttpServerRequest.HttpServerRequest> =>
  Effect.gen(function* () {
    if (rule === undefined) return yield* real
    if (rule.latencyMs !== undefined && rule.latencyMs > 0) yield* Effect.sleep(Duration.millis(rule.latencyMs))
    if (rule.reset) {
      const request = yield* HttpServerRequest.HttpServerRequest
      NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
      return yield* Effect.never
    }
    if (rule.hang) return yield* Effect.never
    const replaced = replacement(provider, rule, facts)
    if (replaced !== undefined) return replaced
    const reply = yield* real
    return rule.truncate ? truncated(reply) : reply
  })
