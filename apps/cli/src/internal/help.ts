/**
 * Help pages in the style of kubectl and gh, rendered from commandSpecs.ts: a description, a usage line with
 * the full command path, arguments and flags in aligned tables (placeholder, default), examples, and the
 * global flags once (root help and `kubecred options`). Every line fits 80 columns. Loaded only for help.
 */
import {
  type ArgSpec,
  type CommandSpec,
  commandSpecs,
  type FlagSpec,
  flagsOf,
  globalFlags,
  helpFlag
} from "./commandSpecs.js"

const WIDTH = 80

/** Greedy word wrap to `width`, each line after the first indented by `indent`. */
export const wrap = (text: string, width: number, indent = 0): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const room = width - (lines.length === 0 ? 0 : indent)
    if (line !== "" && line.length + 1 + word.length > room) {
      lines.push(line)
      line = word
    } else line = line === "" ? word : `${line} ${word}`
  }
  if (line !== "") lines.push(line)
  return lines.map((l, i) => (i === 0 ? l : `${" ".repeat(indent)}${l}`))
}

/** Two columns: the left padded to the widest entry (capped), the right wrapped under itself. */
const columns = (rows: ReadonlyArray<readonly [string, string]>, indent = 2): Array<string> => {
  const left = Math.min(30, Math.max(...rows.map(([l]) => l.length)))
  const out: Array<string> = []
  for (const [l, r] of rows) {
    const pad = indent + left + 2
    if (l.length > left) {
      out.push(`${" ".repeat(indent)}${l}`)
      out.push(...wrap(r, WIDTH - pad).map((line) => `${" ".repeat(pad)}${line}`))
    } else {
      const [first = "", ...rest] = wrap(r, WIDTH - pad)
      out.push(`${" ".repeat(indent)}${l.padEnd(left)}  ${first}`.trimEnd())
      out.push(...rest.map((line) => `${" ".repeat(pad)}${line}`))
    }
  }
  return out
}

const flagLeft = (flag: FlagSpec) =>
  `${flag.alias ? `-${flag.alias}, ` : "    "}--${flag.name}${flag.value ? ` ${flag.value}` : ""}`

const flagRight = (flag: FlagSpec) => {
  const choices =
    flag.choices && !flag.choices.every((c) => flag.description.includes(c))
      ? ` (one of: ${flag.choices.join(", ")})`
      : ""
  const repeat = flag.repeatable && !/repeat/i.test(flag.description) ? " (repeatable)" : ""
  const byDefault = flag.default !== undefined ? ` (default ${flag.default})` : ""
  return `${flag.description}${choices}${repeat}${byDefault}`
}

const flagRows = (flags: ReadonlyArray<FlagSpec>) => columns(flags.map((f) => [flagLeft(f), flagRight(f)] as const))

const argUsage = (arg: ArgSpec) => {
  const name = arg.repeatable ? `${arg.name}...` : arg.name
  return arg.optional ? `[${name}]` : name
}

export const usageLine = (spec: CommandSpec): string =>
  [
    "kubecred",
    spec.name,
    ...spec.args.map(argUsage),
    ...(spec.flags.length > 0 || spec.globals ? ["[flags]"] : [])
  ].join(" ")

const examples = (list: ReadonlyArray<readonly [string, string]>) =>
  list.flatMap(([what, line], i) => [...(i > 0 ? [""] : []), `  # ${what}`, `  ${line}`])

const section = (title: string, lines: ReadonlyArray<string>) => (lines.length === 0 ? [] : ["", `${title}:`, ...lines])

/** The help page of one command. */
export const commandHelp = (spec: CommandSpec): string =>
  [
    ...wrap(spec.description, WIDTH),
    ...section("Usage", [`  ${usageLine(spec)}`]),
    ...section("Aliases", spec.aliases ? [`  ${[spec.name, ...spec.aliases].join(", ")}`] : []),
    ...section(
      "Arguments",
      columns(spec.args.map((a) => [a.name, `${a.description}${a.optional ? " (optional)" : ""}`] as const))
    ),
    ...section("Flags", flagRows([...spec.flags, helpFlag])),
    ...section("Examples", examples(spec.examples)),
    ...(spec.globals ? ["", 'Use "kubecred options" for the global flags (--kubeconfig, --verbose, ...).'] : [])
  ].join("\n")

/** The root page: what kubecred is, its commands, the global flags, examples, exit codes. */
export const rootHelp = (): string =>
  [
    ...wrap(
      "kubecred gets Tencent Cloud TKE and Alibaba Cloud ACK kubeconfigs from the cloud API and puts them where kubectl finds them, safely.",
      WIDTH
    ),
    ...section("Usage", ["  kubecred COMMAND [ARGS] [flags]"]),
    ...section(
      "Commands",
      columns(commandSpecs.map((s) => [[s.name, ...(s.aliases ?? [])].join(", "), s.summary] as const))
    ),
    ...section("Global flags", flagRows([...globalFlags, helpFlag])),
    ...section(
      "Examples",
      examples([
        ["See the clusters you can reach", "kubecred list"],
        ["Add one, as its own context", "kubecred add tke cls-abcd1234 --region ap-guangzhou"],
        ["What is in your kubeconfig, and when it expires", "kubecred status"]
      ])
    ),
    "",
    ...wrap(
      "Exit codes: 0 ok, 1 other, 2 usage or invalid input, 3 credentials, 4 cluster not found, 5 throttled or unavailable, 6 kubeconfig file, 7 partial answer. NO_COLOR is honoured.",
      WIDTH
    ),
    'Use "kubecred COMMAND --help" for more about a command.'
  ].join("\n")

/** `kubecred options`: the global flags, once. */
export const optionsHelp = (): string =>
  [
    "The following flags are accepted by every command, before or after its name.",
    ...section("Usage", ["  kubecred options"]),
    ...section("Global flags", flagRows(globalFlags)),
    ...section("Examples", examples([["Use a tccli profile", "kubecred --profile prod list tke"]]))
  ].join("\n")

/** Every flag name (with dashes) a command accepts, for suggestions. */
export const flagNames = (spec: CommandSpec): ReadonlyArray<string> =>
  flagsOf(spec).flatMap((f) => [`--${f.name}`, ...(f.alias ? [`-${f.alias}`] : [])])
