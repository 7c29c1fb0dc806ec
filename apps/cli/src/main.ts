/**
 * The program behind the `kubecred` entry. It reads the command word first (commandTable.ts, plain data)
 * and loads only that command's module: `add` never initialises the code of `sync`, `status` or the help
 * renderer. Help, version, options, completion and "did you mean" are answered without @effect/cli running.
 * A command runs under @effect/cli's parser; failures become an exit code and one line on stderr here
 * (internal/runCommand.ts), never a stack without --verbose, never a secret.
 */
import type * as CommandType from "@effect/cli/Command"
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import { type CommandName, type Line, readLine, resolveCommand, VERSION } from "./internal/commandTable.js"
import { ExitCode } from "./internal/exitCode.js"

type Loaded = { readonly command: CommandType.Command<any, any, any, any> }

/** Each command's module, loaded on demand (esbuild keeps each one lazy inside main.cjs). */
export const loaders: Readonly<
  Record<Exclude<CommandName, "help" | "version" | "options" | "completion">, () => Promise<Loaded>>
> = {
  get: () => import("./commands/get.js"),
  add: () => import("./commands/add.js"),
  list: () => import("./commands/list.js"),
  sync: () => import("./commands/sync.js"),
  status: () => import("./commands/status.js"),
  refresh: () => import("./commands/refresh.js"),
  remove: () => import("./commands/remove.js"),
  credential: () => import("./commands/credential.js"),
  whoami: () => import("./commands/whoami.js"),
  mock: () => import("./commands/mock.js")
}

/** Prints `text` (one trailing newline) and answers exit 0. */
const print = (text: string): number => {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`)
  return ExitCode.Ok
}

/** Everything @effect/cli does not run: help, version, options, completion, unknown commands. */
const builtIn = async (line: Line): Promise<number | undefined> => {
  const args = line.argv.slice(1)
  if (line.word === "__complete") {
    const { answer } = await import("./internal/completion.js")
    return print(answer(args).join("\n"))
  }
  if (line.command === undefined) {
    if (line.word === undefined || line.word.startsWith("-")) {
      if (line.argv.includes("--version")) return print(`kubecred ${VERSION}`)
      if (line.help || line.word === undefined) return print((await import("./internal/help.js")).rootHelp())
      const { usageError } = await import("./internal/usage.js")
      const flag = line.word.split("=")[0]!
      if (flag === "--completions") {
        return usageError(undefined, "completion scripts come from `kubecred completion bash|zsh|fish|powershell`")
      }
      return usageError(undefined, `unknown flag ${JSON.stringify(flag)}`, flag)
    }
    const { unknownCommand } = await import("./internal/usage.js")
    return unknownCommand(line.word)
  }
  const help = async (name: CommandName) => {
    const { commandHelp, optionsHelp } = await import("./internal/help.js")
    if (name === "options") return print(optionsHelp())
    const { specOf } = await import("./internal/commandSpecs.js")
    return print(commandHelp(specOf(name)))
  }
  if (line.help && line.command !== "help") return help(line.command)
  switch (line.command) {
    case "version":
      return print(`kubecred ${VERSION}`)
    case "options":
      return print((await import("./internal/help.js")).optionsHelp())
    case "help": {
      const topic = args.find((a) => !a.startsWith("-"))
      if (topic === undefined && line.help) return help("help")
      if (topic === undefined) return print((await import("./internal/help.js")).rootHelp())
      const name = resolveCommand(topic)
      if (name === undefined) return (await import("./internal/usage.js")).unknownCommand(topic)
      return help(name)
    }
    case "completion": {
      const { script } = await import("./internal/completion.js")
      const shell = args[0]
      const text = shell === undefined ? undefined : script(shell)
      if (text === undefined) {
        const { usageError } = await import("./internal/usage.js")
        return usageError(
          "completion",
          shell === undefined
            ? "missing SHELL: expected bash, zsh, fish or powershell"
            : `expected bash, zsh, fish or powershell for SHELL, got ${JSON.stringify(shell)}`
        )
      }
      return print(text)
    }
    default:
      return undefined
  }
}

export const main = (argv: ReadonlyArray<string>): void => {
  const line = readLine(argv.slice(2))
  void builtIn(line).then(
    async (code) => {
      if (code !== undefined) return process.exit(code)
      const name = line.command as keyof typeof loaders
      const [{ runCommand }, loaded] = await Promise.all([import("./internal/runCommand.js"), loaders[name]()])
      runCommand(loaded.command, name, line, argv.slice(0, 2), (exit) =>
        process.exit(
          Exit.isSuccess(exit) ? Number(exit.value) : Cause.isInterruptedOnly(exit.cause) ? 130 : ExitCode.Other
        )
      )
    },
    (error: unknown) => {
      process.stderr.write(`kubecred: internal error: ${String(error)} (hint: rerun with --verbose and report it)\n`)
      process.exit(ExitCode.Other)
    }
  )
}
