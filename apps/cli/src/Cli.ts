/**
 * The kubecred command tree in one piece, for embedding kubecred or generating docs. The `kubecred` binary
 * does not load it: main.ts loads only the command on the line. Help text lives in internal/commandSpecs.ts.
 */
import * as Command from "@effect/cli/Command"
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
import { VERSION } from "./internal/commandTable.js"

export { VERSION }

export const root = Command.make("kubecred").pipe(
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

export const run = Command.run(root, { name: "kubecred", version: VERSION })
