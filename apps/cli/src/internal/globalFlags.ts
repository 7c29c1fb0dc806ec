/**
 * The flags every command accepts, anywhere on the line (`kubecred add tke cls-x --verbose` and
 * `kubecred add --verbose tke cls-x` both work): they are part of each command's own config.
 */
import * as Options from "@effect/cli/Options"
import type * as Option from "effect/Option"

export const globalOptions = {
  profile: Options.text("profile").pipe(
    Options.optional,
    Options.withDescription(
      "Named profile of the provider's CLI (tccli ~/.tccli/<name>.credential, aliyun ~/.aliyun/config.json or ~/.alibabacloud/credentials)."
    )
  ),
  apiEndpoint: Options.text("api-endpoint").pipe(
    Options.optional,
    Options.withDescription(
      "Send API calls to this URL instead of the provider's (also KUBECRED_TKE_ENDPOINT, KUBECRED_ACK_ENDPOINT)."
    )
  ),
  mock: Options.boolean("mock").pipe(
    Options.withDescription(
      "Start the mock cloud in this process and use its demo credentials (no cloud account needed; it stops when kubecred exits)."
    )
  ),
  mockReady: Options.text("mock-ready").pipe(
    Options.optional,
    Options.withDescription(
      "Use a running mock cloud: its ready file (written by `kubecred mock --ready-file F`) gives endpoints and demo credentials (also KUBECRED_MOCK_READY)."
    )
  ),
  transport: Options.choice("transport", ["http", "sdk"]).pipe(
    Options.withDefault("http" as const),
    Options.withDescription(
      "http: kubecred's own signed requests (default, fast start); sdk: the official Tencent/Alibaba SDK."
    )
  ),
  verbose: Options.boolean("verbose").pipe(
    Options.withAlias("v"),
    Options.withDescription("Explain errors further: request id, attempts, stack. Secrets are never printed.")
  )
}

export interface GlobalFlags {
  readonly profile: Option.Option<string>
  readonly apiEndpoint: Option.Option<string>
  readonly mock: boolean
  readonly mockReady: Option.Option<string>
  readonly transport: "http" | "sdk"
  readonly verbose: boolean
}
