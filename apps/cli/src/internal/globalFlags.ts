/**
 * The flags every command accepts, anywhere on the line (`kubecred --verbose add ...`, `kubecred add ...
 * --verbose`): main.ts moves those written before the command after it, and each command spreads these into
 * its own config. Their help is in commandSpecs.ts.
 */
import * as Options from "@effect/cli/Options"
import type * as Option from "effect/Option"

export const globalOptions = {
  kubeconfig: Options.text("kubeconfig").pipe(Options.optional),
  profile: Options.text("profile").pipe(Options.optional),
  apiEndpoint: Options.text("api-endpoint").pipe(Options.optional),
  mock: Options.boolean("mock"),
  mockReady: Options.text("mock-ready").pipe(Options.optional),
  transport: Options.choice("transport", ["http", "sdk"]).pipe(Options.withDefault("http" as const)),
  verbose: Options.boolean("verbose").pipe(Options.withAlias("v"))
}

export interface GlobalFlags {
  readonly profile: Option.Option<string>
  readonly apiEndpoint: Option.Option<string>
  readonly mock: boolean
  readonly mockReady: Option.Option<string>
  readonly transport: "http" | "sdk"
  readonly verbose: boolean
}
