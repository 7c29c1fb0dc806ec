/**
 * `kubecred mock [--port N] [--ready-file F] [--fixtures F]`: run the mock cloud (TKE, ACK and a
 * kube-apiserver stub) on 127.0.0.1 until interrupted. The ready file gives other kubecred processes its
 * endpoints and demo credentials (`--mock-ready F` or KUBECRED_MOCK_READY=F).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { globalOptions } from "../internal/globalFlags.js"
import { invalid } from "./shared.js"

const few = (clusters: ReadonlyArray<{ readonly clusterId: string; readonly region: string }>) =>
  `${clusters
    .slice(0, 3)
    .map((c) => `${c.clusterId} (${c.region})`)
    .join(", ")}${clusters.length > 3 ? ` and ${clusters.length - 3} more (kubecred list --mock-ready F)` : ""}`

export const command = Command.make(
  "mock",
  {
    port: Options.integer("port").pipe(
      Options.withSchema(
        Schema.Int.pipe(
          Schema.between(0, 65535, { message: (i) => `invalid port ${String(i.actual)}: expected 0 to 65535` })
        )
      ),
      Options.withDefault(0)
    ),
    readyFile: Options.text("ready-file").pipe(Options.optional),
    fixtures: Options.text("fixtures").pipe(Options.optional),
    ...globalOptions
  },
  (config) =>
    Effect.gen(function* () {
      const { make, readyInfo } = yield* Effect.promise(() => import("@kubecred/mock-cloud"))
      const mock = yield* make({
        port: config.port,
        ...(Option.isSome(config.fixtures) ? { fixtures: config.fixtures.value } : {})
      }).pipe(
        Effect.mapError((e) =>
          invalid("mock", `cannot start the mock cloud: ${e instanceof Error ? e.message : String(e)}`)
        )
      )
      const ready = readyInfo(mock)
      if (Option.isSome(config.readyFile)) {
        const file = path.resolve(config.readyFile.value)
        yield* Effect.acquireRelease(
          Effect.try({
            try: () => {
              const temp = `${file}.${process.pid}.tmp`
              fs.writeFileSync(temp, `${JSON.stringify(ready, null, 2)}\n`, { mode: 0o600 })
              fs.renameSync(temp, file)
            },
            catch: (e) => invalid("ready-file", `cannot write ${file}: ${e instanceof Error ? e.message : String(e)}`)
          }),
          () => Effect.sync(() => fs.rmSync(file, { force: true }))
        )
      }
      yield* Console.log(
        [
          `mock cloud listening (Ctrl+C to stop)`,
          `  TKE API       ${mock.tencent.endpoint}`,
          `  ACK API       ${mock.alibaba.endpoint}`,
          `  kube-apiserver ${mock.apiserver}`,
          `  TKE clusters  ${few(mock.tencent.clusters)}`,
          `  ACK clusters  ${few(mock.alibaba.clusters)}`,
          ...(Option.isSome(config.readyFile)
            ? [`  ready file    ${path.resolve(config.readyFile.value)}  (export KUBECRED_MOCK_READY=<it>)`]
            : [])
        ].join("\n")
      )
      return yield* Effect.never
    }).pipe(Effect.scoped)
)
