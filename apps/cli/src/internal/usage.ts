/**
 * Usage errors in kubecred's own words: an unknown command or flag gets "did you mean", and @effect/cli's
 * parser messages ("Expected one of the following cases: ...", "'abc' is not a integer") are said again
 * naming the argument or flag they are about. One line on stderr, exit 2. Loaded only on a usage error.
 */
import { type CommandSpec, type FlagSpec, flagsOf, globalFlags, specOf } from "./commandSpecs.js"
import { aliases, type CommandName, commandNames } from "./commandTable.js"
import { scrub } from "./errors.js"
import { ExitCode } from "./exitCode.js"
import { flagNames } from "./help.js"
import { didYouMean } from "./suggest.js"

const helpOf = (command: CommandName | undefined) => `kubecred ${command ? `${command} ` : ""}--help`

const line = (message: string, hint: string) =>
  process.stderr.write(`${scrub(`kubecred: ${message} (hint: ${hint})`)}\n`)

/** `a, b or c`. */
export const orList = (words: ReadonlyArray<string>): string =>
  words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`

/** Writes the line for a usage problem of `command`; `word` is what to look up for a suggestion. */
export const usageError = (command: CommandName | undefined, message: string, word?: string): number => {
  const known = command === undefined ? rootFlagNames() : flagNames(specOf(command))
  const suggestion = word === undefined ? "" : didYouMean(word, known)
  line(message, `${suggestion ? `${suggestion} ` : ""}see ${helpOf(command)}`)
  return ExitCode.Usage
}

const rootFlagNames = () => [
  "--help",
  "-h",
  "--version",
  ...globalFlags.flatMap((f) => [`--${f.name}`, ...(f.alias ? [`-${f.alias}`] : [])])
]

export const unknownCommand = (word: string): number => {
  const suggestion = didYouMean(word, [...commandNames, ...Object.keys(aliases)])
  line(
    `unknown command ${JSON.stringify(word)} for "kubecred"`,
    `${suggestion ? `${suggestion} ` : ""}see kubecred --help`
  )
  return ExitCode.Usage
}

const sameSet = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((x) => b.includes(x))

/** The argument or flag whose choices are exactly `choices`. */
const byChoices = (spec: CommandSpec, choices: ReadonlyArray<string>): string | undefined => {
  const arg = spec.args.find((a) => a.choices && sameSet(a.choices, choices))
  if (arg) return arg.name
  const flag = flagsOf(spec).find((f) => f.choices && sameSet(f.choices, choices))
  return flag ? `--${flag.name}` : undefined
}

/** The flag given on the line just before `value` (`--port abc` -> `--port`), if it is one of the spec's. */
const flagBefore = (spec: CommandSpec, argv: ReadonlyArray<string>, value: string): FlagSpec | undefined => {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!
    const [name, inline] = arg.includes("=")
      ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
      : [argv[i - 1]!, arg]
    if (inline !== value) continue
    const flag = flagsOf(spec).find((f) => `--${f.name}` === name || (f.alias !== undefined && `-${f.alias}` === name))
    if (flag) return flag
  }
  return undefined
}

/**
 * @effect/cli's message, said in kubecred's words, with the suggestion to make: returns the message and
 * the mistyped word (for "did you mean") when there is one.
 */
export const rewrite = (
  command: CommandName,
  text: string,
  argv: ReadonlyArray<string>
): { readonly message: string; readonly word?: string } => {
  const spec = specOf(command)
  const unknown = /^Received unknown argument: '(.*)'$/.exec(text) ?? /^The flag '([^']*)' is not recognized/.exec(text)
  if (unknown) {
    const word = unknown[1]!
    const known = flagsOf(spec).find((f) => word === `--${f.name}` || (f.alias !== undefined && word === `-${f.alias}`))
    if (known?.value !== undefined) return { message: `${word} needs a value (${known.value})` }
    return word.startsWith("-")
      ? {
          message: `unknown flag ${JSON.stringify(word.split("=")[0])} for "kubecred ${command}"`,
          word: word.split("=")[0]!
        }
      : { message: `unexpected argument ${JSON.stringify(word)} for "kubecred ${command}"` }
  }
  const cases = /^Expected one of the following cases: (.*)$/.exec(text)
  if (cases) {
    const choices = cases[1]!.split(", ")
    const what = byChoices(spec, choices)
    return { message: `expected ${orList(choices)}${what ? ` for ${what}` : ""}` }
  }
  const missing = /^Missing argument <([^>]*)>/.exec(text)
  if (missing) {
    const name = missing[1]!.toUpperCase().replace(/-/g, "_")
    const arg = spec.args.find((a) => a.name === name)
    return {
      message: `missing ${name}${arg?.choices ? `: expected ${orList(arg.choices)}` : arg ? ` (${arg.description})` : ""}`
    }
  }
  const notA = /^'(.*)' is not an? (\w+)$/.exec(text)
  if (notA) {
    const flag = flagBefore(spec, argv, notA[1]!)
    const kind = notA[2] === "integer" ? "an integer" : `a ${notA[2]}`
    return { message: `expected ${kind}${flag ? ` for --${flag.name}` : ""}, got ${JSON.stringify(notA[1])}` }
  }
  const needsValue = /^Expected a value following option: '(.*)'$/.exec(text)
  if (needsValue) {
    const flag = flagsOf(spec).find((f) => `--${f.name}` === needsValue[1])
    return { message: `${needsValue[1]} needs a value${flag?.value ? ` (${flag.value})` : ""}` }
  }
  // a schema's tree (`Region └─ From side refinement failure └─ invalid region ...`): its last line says it
  const last = text.split("└─ ").pop()!.trim()
  return { message: last.replace(/^Invalid /, "invalid ") }
}
