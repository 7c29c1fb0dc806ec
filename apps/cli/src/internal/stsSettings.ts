/**
 * Where the chains' STS calls go when the mock cloud is in use: its STS endpoint (unless
 * KUBECRED_TKE_STS_ENDPOINT / KUBECRED_ACK_STS_ENDPOINT say otherwise) and its CA, read from the ready file's
 * `caFile` and trusted for those calls only, never process-wide.
 */
import * as KubecredError from "@kubecred/core/KubecredError"
import type { ProviderName } from "@kubecred/core/Provider"
import * as AckEnvironment from "@kubecred/alibaba/AckEnvironment"
import * as TkeEnvironment from "@kubecred/tencent/TkeEnvironment"
import * as Effect from "effect/Effect"
import { readFileSync } from "node:fs"
import type { MockReady } from "./identity.js"

export const stsEndpointEnv: Record<ProviderName, string> = {
  tencent: TkeEnvironment.ENV_STS_ENDPOINT,
  alibaba: AckEnvironment.ENV_STS_ENDPOINT
}

export const mockSts = (
  provider: ProviderName,
  mock: MockReady | undefined,
  env: NodeJS.ProcessEnv
): Effect.Effect<{ readonly stsEndpoint?: string; readonly stsCa?: string }, KubecredError.InvalidInput> =>
  Effect.suspend(() => {
    const fromEnv = env[stsEndpointEnv[provider]]
    const endpoint = fromEnv !== undefined && fromEnv !== "" ? fromEnv : mock?.[provider].stsEndpoint
    const settings = endpoint === undefined ? {} : { stsEndpoint: endpoint }
    if (mock?.caFile === undefined) return Effect.succeed(settings)
    const caFile = mock.caFile
    return Effect.try({
      try: () => ({ ...settings, stsCa: readFileSync(caFile, "utf8") }),
      catch: () =>
        new KubecredError.InvalidInput({
          field: "mock-ready",
          detail: `cannot read the mock's CA file ${caFile} (is the mock still running?)`
        })
    })
  })
