/** The cloud app (plain HTTP and HTTPS): TKE and both STSs on `/`, ACK on its ROA paths, the OIDC issuer, the instance metadata services and the control endpoint beside them. */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"
import * as AlibabaApi from "./alibabaApi.js"
import * as ControlApi from "./controlApi.js"
import { ControlState } from "./controlState.js"
import * as Faults from "./faults.js"
import * as IdentityApp from "./identityApp.js"
import * as MetadataApi from "./metadataApi.js"
import { json, type RequestFacts, render } from "./reply.js"
import * as TencentApi from "./tencentApi.js"
import type { ReadyInfo } from "./types.js"

const readFacts = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const url = request.url
  const q = url.indexOf("?")
  const body = new Uint8Array(yield* request.arrayBuffer)
  return {
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? "" : url.slice(q + 1),
    headers: request.headers,
    body
  } satisfies RequestFacts
})

export const make = (ready: () => ReadyInfo) =>
  Effect.gen(function* () {
    const facts = yield* readFacts
    const control = yield* ControlState
    const sts = IdentityApp.stsRoute(facts)
    if (sts !== undefined) {
      control.count(sts.provider, sts.action)
      return render(yield* Faults.apply(sts.provider, control.takeFault(sts.provider, sts.action), facts, sts.handle))
    }
    if (IdentityApp.isIdentityPath(facts.path)) return render(yield* IdentityApp.handle(facts))
    if (facts.path === "/" && (facts.method === "POST" || facts.method === "GET")) {
      const action = TencentApi.actionOf(facts)
      control.count("tencent", action)
      const rule = control.takeFault("tencent", action)
      return render(yield* Faults.apply("tencent", rule, facts, TencentApi.handle(facts, action)))
    }
    if (AlibabaApi.isAlibabaPath(facts.path)) {
      const action = AlibabaApi.actionOf(facts.path)
      control.count("alibaba", action ?? "unknown")
      const rule = action === undefined ? undefined : control.takeFault("alibaba", action)
      return render(yield* Faults.apply("alibaba", rule, facts, AlibabaApi.handle(facts, action)))
    }
    if (MetadataApi.isMetadataPath(facts.path)) return render(yield* MetadataApi.handle(facts))
    if (ControlApi.CONTROL_PATHS.includes(facts.path)) return render(yield* ControlApi.handle(facts, ready))
    return render(json(404, { error: `no route for ${facts.method} ${facts.path}` }))
  }).pipe(
    Effect.catchTag("RequestError", () =>
      Effect.succeed(HttpServerResponse.text("cannot read request", { status: 400 }))
    )
  )
