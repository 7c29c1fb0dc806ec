/** The control endpoint: faults, rate limits, clocks, stats and the ready info, as JSON. */
import { Effect, Schema } from "effect"
import { ControlState } from "./controlState.js"
import { FaultRules } from "./faultRuleSchema.js"
import { json, type Reply, type RequestFacts } from "./reply.js"
import type { ReadyInfo } from "./types.js"

const RateLimitBody = Schema.Struct({
  provider: Schema.Literal("tencent", "alibaba"),
  perSecond: Schema.Number.pipe(Schema.positive())
})
const OffsetBody = Schema.Struct({ offsetMs: Schema.Number })

const ok = json(200, { ok: true })

export const decodeBody = <A, I>(schema: Schema.Schema<A, I>, facts: RequestFacts): Effect.Effect<A, Reply> =>
  Effect.try({
    try: () => JSON.parse(Buffer.from(facts.body).toString("utf8")) as unknown,
    catch: () => json(400, { error: "the body is not JSON" })
  }).pipe(
    Effect.flatMap((input) =>
      Schema.decodeUnknown(schema, { onExcessProperty: "error" })(input).pipe(
        Effect.mapError((error) => json(400, { error: error.message }))
      )
    )
  )

export const CONTROL_PATHS = ["/faults", "/rate-limit", "/certificate-clock", "/clock", "/stats", "/ready"]

export const handle = (facts: RequestFacts, ready: () => ReadyInfo) =>
  Effect.gen(function* () {
    const control = yield* ControlState
    const route = `${facts.method} ${facts.path}`
    switch (route) {
      case "PUT /faults": {
        const rules = yield* decodeBody(FaultRules, facts)
        control.setFaults(rules)
        return ok
      }
      case "DELETE /faults":
        control.setFaults([])
        return ok
      case "PUT /rate-limit": {
        const body = yield* decodeBody(RateLimitBody, facts)
        control.setRateLimit(body.provider, body.perSecond)
        return ok
      }
      case "PUT /certificate-clock": {
        const body = yield* decodeBody(OffsetBody, facts)
        control.setCertificateClock(body.offsetMs)
        return ok
      }
      case "PUT /clock": {
        const body = yield* decodeBody(OffsetBody, facts)
        control.setClock(body.offsetMs)
        return ok
      }
      case "GET /stats":
        return json(200, control.stats())
      case "GET /ready":
        return json(200, ready())
      default:
        return json(CONTROL_PATHS.includes(facts.path) ? 405 : 404, { error: `no route for ${route}` })
    }
  }).pipe(Effect.merge)
