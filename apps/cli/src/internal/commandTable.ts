/**
 * What the start of every run needs to know about the command line before anything is loaded: the command
 * names and their aliases, the built-in verbs (help, version, completion), and which global flags take a
 * value (so that `kubecred --profile p add ...` finds `add`). Plain data, no Effect: main.ts reads it to pick
 * the one command module to load. The help text itself lives in commandSpecs.ts (loaded only for help).
 */

declare const __KUBECRED_VERSION__: string | undefined

/** The package's version, put in by the bundler (scripts/build.mjs); running from sources, `0.0.0-dev`. */
export const VERSION: string = typeof __KUBECRED_VERSION__ === "string" ? __KUBECRED_VERSION__ : "0.0.0-dev"

/** The commands, in the order the root help lists them. */
export const commandNames = [
  "get",
  "add",
  "list",
  "sync",
  "status",
  "refresh",
  "remove",
  "credential",
  "whoami",
  "mock",
  "completion",
  "options",
  "help",
  "version"
] as const
export type CommandName = (typeof commandNames)[number]

/** Aliases as kubectl users type them. */
export const aliases: Readonly<Record<string, CommandName>> = { ls: "list", rm: "remove" }

/** Global flags that take a value (`--profile NAME`); the others (`--mock`, `--verbose`) take none. */
export const globalValueFlags: ReadonlyArray<string> = [
  "--kubeconfig",
  "--profile",
  "--api-endpoint",
  "--mock-ready",
  "--transport"
]
export const globalBooleanFlags: ReadonlyArray<string> = ["--mock", "--verbose", "-v"]

export const isCommandName = (word: string): word is CommandName =>
  (commandNames as ReadonlyArray<string>).includes(word)

/** The command a word names, through the aliases. */
export const resolveCommand = (word: string): CommandName | undefined => (isCommandName(word) ? word : aliases[word])

export interface Line {
  /** The command word as written (before alias resolution), and where it stands in argv. */
  readonly command: CommandName | undefined
  readonly word: string | undefined
  /** The arguments with the alias resolved and the global flags given before the command moved after it. */
  readonly argv: ReadonlyArray<string>
  readonly help: boolean
  readonly verbose: boolean
}

/**
 * Reads `argv` (without node and the script): `kubecred [global flags] COMMAND [args and flags]`. Global
 * flags written before the command are moved right after it, where @effect/cli parses them as the command's
 * own (every command declares them).
 */
export const readLine = (argv: ReadonlyArray<string>): Line => {
  const before: Array<string> = []
  let i = 0
  for (; i < argv.length; i++) {
    const arg = argv[i]!
    const name = arg.includes("=") ? arg.slice(0, arg.indexOf("=")) : arg
    if (globalValueFlags.includes(name)) {
      before.push(arg)
      if (!arg.includes("=") && i + 1 < argv.length) before.push(argv[++i]!)
      continue
    }
    if (globalBooleanFlags.includes(arg)) {
      before.push(arg)
      continue
    }
    break
  }
  const word = argv[i]
  const rest = argv.slice(i + 1)
  const command = word === undefined || word.startsWith("-") ? undefined : resolveCommand(word)
  const help = argv.includes("--help") || argv.includes("-h")
  const verbose = argv.includes("--verbose") || argv.includes("-v")
  if (word === undefined || word.startsWith("-")) return { command, word, argv: [...argv], help, verbose }
  return { command, word, argv: [command ?? word, ...before, ...rest], help, verbose }
}
