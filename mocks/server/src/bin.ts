#!/usr/bin/env node
/**
 * `kubecred-mock`: runs the mock cloud in the foreground until SIGINT/SIGTERM.
 *   --port N          HTTP port for both clouds and the control endpoint (0 = any free port, the default)
 *   --fixtures FILE   JSON or YAML fixtures (built-in defaults otherwise)
 *   --ready-file FILE write the ready JSON there (atomically) once listening
 */
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Schema } from "effect"
import { rename, writeFile } from "node:fs/promises"
import { parseArgs } from "node:util"
import { make, readyInfo } from "./MockCloud.js"

const Port = Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 65535))

const usage = "usage: kubecred-mock [--port N] [--fixtures FILE] [--ready-file FILE]"

const program = Effect.gen(function* () {
  const { values } = yield* Effect.try({
    try: () =>
      parseArgs({
        options: {
          port: { type: "string" },
          fixtures: { type: "string" },
          "ready-file": { type: "string" },
          help: { type: "boolean", short: "h" }
        },
        strict: true
      }),
    catch: (error) => new Error(`${String(error instanceof Error ? error.message : error)}\n${usage}`)
  })
  if (values.help) return yield* Console.log(usage)
  const port = values.port === undefined ? 0 : yield* Schema.decode(Port)(values.port)
  const cloud = yield* make({ port, ...(values.fixtures === undefined ? {} : { fixtures: values.fixtures }) })
  const info = readyInfo(cloud)
  const readyFile = values["ready-file"]
  if (readyFile !== undefined) {
    const temporary = `${readyFile}.${process.pid}.tmp`
    yield* Effect.promise(async () => {
      await writeFile(temporary, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 })
      await rename(temporary, readyFile)
    })
  }
  // Endpoints only: the credentials are in the ready file (or GET /ready), never in the log.
  yield* Console.log(
    `kubecred-mock: clouds ${info.tencent.endpoint} (and ${info.https}, CA ${info.caFile}), apiserver ${info.apiserver}, control ${info.control}` +
      (readyFile === undefined ? "" : `, ready file ${readyFile}`)
  )
  return yield* Effect.never
}).pipe(Effect.scoped)

NodeRuntime.runMain(program)
