/**
 * The mock cloud: Tencent Cloud TKE and Alibaba Cloud ACK, their STSs and an OIDC issuer on one port (HTTP and
 * HTTPS), a kube-apiserver stub on another HTTPS port, and a control endpoint. Start it from code (`start`, `layer`) or from the `kubecred-mock` bin.
 */
import { Cause, Context, Effect, Exit, Layer, Scope } from "effect"
import * as internal from "./internal/mockCloud.js"
import type { MockCloud, MockCloudOptions } from "./internal/types.js"

export type {
  FaultRule,
  MockCloud,
  MockCloudOptions,
  ReadyClusterAlibaba,
  ReadyClusterTencent,
  ReadyInfo,
  ReadyOidcProvider,
  ReadyRole
} from "./internal/types.js"

export class MockCloudServer extends Context.Tag("@kubecred/mock-cloud/MockCloudServer")<
  MockCloudServer,
  MockCloud
>() {}

/** Starts the mock in the current scope: it stops when the scope closes (or earlier, through `stop()`). */
export const make: (options?: MockCloudOptions) => Effect.Effect<MockCloud, Error, Scope.Scope> = (options) =>
  internal
    .make(options)
    .pipe(
      Effect.mapError(
        (error) => new Error(`mock cloud failed to start: ${"message" in error ? error.message : String(error)}`)
      )
    )

/** A scoped layer: starts with the scope, stops with it. */
export const layer = (options?: MockCloudOptions): Layer.Layer<MockCloudServer> =>
  Layer.scoped(MockCloudServer, Effect.orDie(make(options)))

/** Starts the mock outside Effect; `stop()` on the result ends it. */
export const start = async (options?: MockCloudOptions): Promise<MockCloud> => {
  const scope = Effect.runSync(Scope.make())
  const exit = await Effect.runPromiseExit(make(options).pipe(Scope.extend(scope)))
  if (Exit.isFailure(exit)) {
    await Effect.runPromise(Scope.close(scope, exit))
    throw Cause.squash(exit.cause)
  }
  const cloud = exit.value
  return {
    ...cloud,
    stop: async () => {
      await cloud.stop()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}

/** The ready-file object of a running mock (its data without the functions). */
export const readyInfo = internal.readyInfo
