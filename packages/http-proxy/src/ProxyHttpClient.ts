/**
 * The proxy-aware agents as a scoped resource, and the node:http HttpClient built on them: keep-alive, not
 * undici (half the start-up cost, docs/decisions.md "Start-up"), HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY from `env`.
 * Built per client, not from NodeHttpClient's shared layers, which a memo map could hand out with another agent.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as ProxyAgents from "./ProxyAgents.js"

/** Agents that live as long as the scope. */
export const scopedAgents = (env: ProxyAgents.Env): Effect.Effect<ProxyAgents.Agents, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.promise(() => ProxyAgents.make(env)),
    (agents) => Effect.sync(() => agents.destroy())
  )

/** NodeHttpClient on those agents. */
export const make = (env: ProxyAgents.Env): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.flatMap(scopedAgents(env), (agents) =>
    Effect.provideService(NodeHttpClient.make, NodeHttpClient.HttpAgent, {
      [NodeHttpClient.HttpAgentTypeId]: NodeHttpClient.HttpAgentTypeId,
      http: agents.http,
      // read by NodeHttpClient for https targets only: the https agent is built then
      get https() {
        return agents.https
      }
    })
  )

/** The same client as a layer, for a transport layer that needs an HttpClient. */
export const layer = (env: ProxyAgents.Env): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, make(env))
