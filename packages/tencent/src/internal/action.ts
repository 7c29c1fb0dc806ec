/**
 * What a module adding one TKE action gets from the client: the paced, retried call and the answer decoder
 * (see client.ts), so that it holds only its action's wire (regions.ts, endpoints.ts).
 */
import type { ProviderError } from "@kubecred/core/KubecredError"
import type * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type { CallContext } from "./errorMapping.js"
import type { TkeAnswer, TkeCall } from "./transport.js"

export type Call = (
  action: TkeCall["action"],
  region: string,
  params: Record<string, unknown>,
  context: CallContext
) => Effect.Effect<{ readonly value: TkeAnswer }, ProviderError>

export type Decode = <A, I>(
  schema: Schema.Schema<A, I>,
  context: CallContext
) => (answer: TkeAnswer) => Effect.Effect<A, ProviderError>
