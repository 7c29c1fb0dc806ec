/**
 * The kubecred command tree, declared in one place. Each command's handler lives in src/commands; each picks
 * its provider layers from its own flags (Command.provide). Errors are not handled here: see main.ts.
 */
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Add from "./commands/add.js"
import * as Credential from "./commands/credential.js"
import * as Get from "./commands/get.js"
import * as List from "./commands/list.js"
import * as Mock from "./commands/mock.js"
import * as Refresh from "./commands/refresh.js"
import * as Remove from "./commands/remove.js"
import * as Status from "./commands/status.js"
import * as Sync from "./commands/sync.js"
import * as Whoami from "./commands/whoami.js"

export const VERSION = "0.1.0"

export const root = Command.make("kubecred").pipe(
  Command.withDescription(
    "Get Tencent TKE and Alibaba ACK kubeconfigs from the cloud API and put them where kubectl finds them, safely."
  ),
  Command.withSubcommands([
    Get.command,
    Add.command,
    List.command,
    Sync.command,
    Status.command,
    Refresh.command,
    Remove.command,
    Credential.command,
    Whoami.command,
    Mock.command
  ])
)

export const run = Command.run(root, {
  name: "kubecred",
  version: VERSION,
  footer: HelpDoc.p(
    "Exit codes: 0 ok, 1 other, 2 usage/invalid input, 3 credentials, 4 cluster not found, 5 throttled/unavailable, 6 kubeconfig file, 7 partial answer. Global flags (every command): --profile, --api-endpoint, --mock, --mock-ready, --transport, --verbose; NO_COLOR is honoured. Also: -h/--help, --version, --completions bash|zsh|fish."
  )
})
