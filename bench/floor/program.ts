/**
 * The framework floor for bench/cli: the least an Effect program shaped like `kubecred add` can do. One
 * @effect/cli command, one POST through NodeHttpClient (the mock answers the unsigned request with its
 * AuthFailure envelope), a Schema decode, YAML out, one file written through the platform FileSystem. No
 * credentials, signing, retries, lock or merge. bench/cli measures it next to kubecred in the same run.
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodePath from "@effect/platform-node/NodePath"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import * as YAML from "yaml"

const Envelope = Schema.Struct({
  Response: Schema.Struct({
    RequestId: Schema.String,
    Error: Schema.optional(Schema.Struct({ Code: Schema.String, Message: Schema.String }))
  })
})

const add = Command.make(
  "add",
  {
    provider: Args.text({ name: "provider" }),
    clusterId: Args.text({ name: "cluster-id" }),
    region: Options.text("region"),
    kubeconfig: Options.text("kubeconfig")
  },
  (config) =>
    Effect.gen(function* () {
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.post(process.env.KUBECRED_TKE_ENDPOINT ?? "http://127.0.0.1:1").pipe(
          HttpClientRequest.setHeader("X-TC-Action", "DescribeClusterKubeconfig"),
          HttpClientRequest.bodyText(JSON.stringify({ ClusterId: config.clusterId }), "application/json")
        )
      )
      const envelope = yield* Effect.flatMap(response.json, Schema.decodeUnknown(Envelope))
      const fs = yield* FileSystem.FileSystem
      yield* fs.writeFileString(
        config.kubeconfig,
        YAML.stringify({ apiVersion: "v1", kind: "Config", preferences: {}, requestId: envelope.Response.RequestId })
      )
      yield* Effect.sync(() => process.stdout.write(`wrote ${config.kubeconfig}\n`))
    })
)

const cli = Command.run(Command.make("floor").pipe(Command.withSubcommands([add])), { name: "floor", version: "0" })

const PlatformLive = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, NodeTerminal.layer, NodeHttpClient.layer)

export const main = (argv: ReadonlyArray<string>): void =>
  NodeRuntime.runMain(cli(argv).pipe(Effect.provide(PlatformLive)), { disableErrorReporting: true })
