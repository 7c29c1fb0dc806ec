/**
 * Shell completion. `kubecred completion SHELL` prints a small script for bash, zsh, fish or PowerShell;
 * on Tab it runs `kubecred __complete N WORD...` (N: how many words stand before the one being completed,
 * which is the last when present) and offers the lines it prints, each one word: commands and aliases, the
 * command's flags (never @effect/cli's --wizard or --log-level), each choice of a flag, providers, regions,
 * context names read from the kubeconfig, cluster ids of the last `list`. `__files__` asks the shell to
 * complete a path. Loaded only for completion.
 */
import * as fs from "node:fs"
import { homedir } from "node:os"
import { parse } from "yaml"
import * as KubeconfigPaths from "@kubecred/kubeconfig/KubeconfigPaths"
import { commandSpecs, type Completes, type FlagSpec, flagsOf, globalFlags, providerChoices } from "./commandSpecs.js"
import { aliases, globalBooleanFlags, globalValueFlags, resolveCommand } from "./commandTable.js"
import { readListing } from "./listingCache.js"

export const FILES = "__files__"

// The regions Tab offers (no network call on Tab); any region the cloud lists is accepted on the line.
const tkeRegions: ReadonlyArray<string> = [
  "ap-guangzhou",
  "ap-shanghai",
  "ap-nanjing",
  "ap-beijing",
  "ap-chengdu",
  "ap-chongqing",
  "ap-hongkong",
  "ap-singapore",
  "ap-jakarta",
  "ap-seoul",
  "ap-tokyo",
  "ap-bangkok",
  "ap-mumbai",
  "na-siliconvalley",
  "na-ashburn",
  "eu-frankfurt",
  "sa-saopaulo",
  "ap-shanghai-fsi",
  "ap-shenzhen-fsi",
  "ap-beijing-fsi"
]
const ackRegions: ReadonlyArray<string> = [
  "cn-hangzhou",
  "cn-shanghai",
  "cn-beijing",
  "cn-shenzhen",
  "cn-qingdao",
  "cn-zhangjiakou",
  "cn-huhehaote",
  "cn-wulanchabu",
  "cn-chengdu",
  "cn-heyuan",
  "cn-guangzhou",
  "cn-hongkong",
  "ap-southeast-1",
  "ap-southeast-3",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ap-northeast-1",
  "ap-northeast-2",
  "us-west-1",
  "us-east-1",
  "eu-central-1",
  "eu-west-1",
  "me-east-1",
  "me-central-1"
]

const providerOf = (word: string | undefined): "tencent" | "alibaba" | undefined =>
  word === "tencent" || word === "tke" ? "tencent" : word === "alibaba" || word === "ack" ? "alibaba" : undefined

/** The context names of the kubeconfig kubectl (or --kubeconfig) would read. */
export const contextNames = (explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Array<string> => {
  const home = env.HOME || homedir()
  // The shells hand over `--kubeconfig ~/x` as typed (the command itself would get it expanded).
  const path = explicit === "~" || explicit?.startsWith("~/") ? home + explicit.slice(1) : explicit
  const { readChain } = KubeconfigPaths.resolve({ explicit: path, env, home })
  const names: Array<string> = []
  for (const file of readChain) {
    try {
      const doc = parse(fs.readFileSync(file, "utf8")) as { contexts?: Array<{ name?: unknown }> } | null
      for (const c of doc?.contexts ?? [])
        if (typeof c?.name === "string" && !names.includes(c.name)) names.push(c.name)
    } catch {
      // an unreadable kubeconfig completes to nothing
    }
  }
  return names
}

interface Seen {
  readonly provider: "tencent" | "alibaba" | undefined
  readonly kubeconfig: string | undefined
}

const values = (completes: Completes | undefined, seen: Seen, env: NodeJS.ProcessEnv): Array<string> => {
  switch (completes) {
    case "provider":
      return [...providerChoices]
    case "region":
      return seen.provider === "tencent"
        ? [...tkeRegions]
        : seen.provider === "alibaba"
          ? [...ackRegions]
          : [...tkeRegions, ...ackRegions]
    case "context":
      return contextNames(seen.kubeconfig, env)
    case "cluster-id":
      return readListing(env)
        .filter((c) => seen.provider === undefined || c.provider === seen.provider)
        .map((c) => c.clusterId)
    case "file":
      return [FILES]
    default:
      return []
  }
}

const flagValues = (flag: FlagSpec, seen: Seen, env: NodeJS.ProcessEnv) =>
  flag.choices ? [...flag.choices] : values(flag.completes, seen, env)

const findFlag = (flags: ReadonlyArray<FlagSpec>, word: string) =>
  flags.find((f) => word === `--${f.name}` || (f.alias !== undefined && word === `-${f.alias}`))

/** The candidates for `kubecred __complete N WORD...`, one word each, filtered by what is typed. */
export const answer = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = process.env): Array<string> => {
  const before = Math.max(0, Number(args[0]) || 0)
  const words = args.slice(1)
  const current = words[before] ?? ""
  // bash splits `--region=ap` into `--region`, `=`, `ap`: dropping the `=` leaves a flag and its value
  if (current === "=") return []
  const done = words.slice(0, before).filter((w) => w !== "=")

  // the command: the first word that is not a global flag (or a global flag's value)
  let index = 0
  let kubeconfig: string | undefined
  for (; index < done.length; index++) {
    const word = done[index]!
    if (globalValueFlags.includes(word)) {
      if (word === "--kubeconfig") kubeconfig = done[index + 1]
      index++
    } else if (!globalBooleanFlags.includes(word) && !word.startsWith("--")) break
  }
  const filter = (candidates: ReadonlyArray<string>, prefix = "") =>
    candidates.includes(FILES)
      ? [FILES]
      : candidates.filter((c) => c.startsWith(current.slice(prefix.length))).map((c) => prefix + c)
  if (index >= done.length) {
    if (current.startsWith("-")) return filter([...globalFlags.map((f) => `--${f.name}`), "--help", "--version"])
    return filter([...commandSpecs.map((s) => s.name), ...Object.keys(aliases)])
  }
  const name = resolveCommand(done[index]!)
  const spec = commandSpecs.find((s) => s.name === name)
  if (spec === undefined) return []
  const rest = done.slice(index + 1)
  for (let i = 0; i < rest.length; i++) if (rest[i] === "--kubeconfig") kubeconfig = rest[i + 1]
  const flags = flagsOf(spec)
  const positional: Array<string> = []
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!
    const flag = word.startsWith("-") ? findFlag(flags, word.split("=")[0]!) : undefined
    if (flag?.value !== undefined && !word.includes("=")) i++
    else if (!word.startsWith("-")) positional.push(word)
  }
  const seen: Seen = { provider: providerOf(positional[0]) ?? providerOf(flagValueIn(rest, "--provider")), kubeconfig }
  if (spec.name === "help") return positional.length === 0 ? filter(commandSpecs.map((s) => s.name)) : []

  const last = rest[rest.length - 1]
  const pending = last === undefined ? undefined : findFlag(flags, last)
  if (pending?.value !== undefined) return filter(flagValues(pending, seen, env))
  if (current.startsWith("--") && current.includes("=")) {
    const flag = findFlag(flags, current.slice(0, current.indexOf("=")))
    return flag?.value === undefined
      ? []
      : filter(flagValues(flag, seen, env), current.slice(0, current.indexOf("=") + 1))
  }
  if (current.startsWith("-")) return filter(flags.map((f) => `--${f.name}`))
  const arg = spec.args[Math.min(positional.length, spec.args.length - 1)]
  if (arg === undefined || (positional.length >= spec.args.length && !arg.repeatable)) return []
  return filter(arg.choices ? [...arg.choices] : values(arg.completes, seen, env))
}

const flagValueIn = (words: ReadonlyArray<string>, flag: string) => {
  const i = words.indexOf(flag)
  return i === -1 ? undefined : words[i + 1]
}

// bash: COMP_WORDS holds the words as typed; the current one goes without an opening quote (readline completes
// what follows it).
const bash = `# bash completion for kubecred: source <(kubecred completion bash)
_kubecred() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  cur=\${cur#[\\"\\']}
  local IFS=$'\\n'
  local -a out
  out=($(kubecred __complete "$((COMP_CWORD - 1))" "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null))
  if [[ "\${out[0]}" == "${FILES}" ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
  else
    COMPREPLY=("\${out[@]}")
  fi
}
complete -o nosort -F _kubecred kubecred 2>/dev/null || complete -F _kubecred kubecred
`

// zsh: the words before the cursor unquoted (as the command will get them), then $PREFIX, the part of the
// current word typed so far without its opening quote; compadd quotes what it inserts. A `--flag=` before a
// path moves to IPREFIX, so _files completes what follows the `=`.
const zsh = `#compdef kubecred
# zsh completion for kubecred: kubecred completion zsh > "\${fpath[1]}/_kubecred"
_kubecred() {
  local -a out
  out=("\${(@f)$(kubecred __complete "$((CURRENT - 2))" "\${(@Q)words[2,CURRENT-1]}" "$PREFIX" 2>/dev/null)}")
  if [[ "\${out[1]}" == "${FILES}" ]]; then
    if [[ "$PREFIX" == --*=* ]]; then
      IPREFIX+="\${PREFIX%%=*}="
      PREFIX="\${PREFIX#*=}"
    fi
    _files
  else
    compadd -- "\${(@)out:#}"
  fi
}
if [[ "\${funcstack[1]}" == "_kubecred" ]]; then
  _kubecred "$@"
else
  compdef _kubecred kubecred
fi
`

// fish: tokens before the cursor as fish expands them, the current one unquoted; -k keeps kubecred's order
// (table before json, as help lists them); a path after `--flag=` is completed with the flag kept in front.
const fish = `# fish completion for kubecred: kubecred completion fish > ~/.config/fish/completions/kubecred.fish
function __kubecred_complete
  set -l tokens (commandline -opc)
  set -e tokens[1]
  set -l cur (string unescape -- (commandline -ct))
  set -l out (kubecred __complete (count $tokens) $tokens "$cur" 2>/dev/null)
  if test "$out[1]" = "${FILES}"
    if string match -qr -- '^--[^=]+=' "$cur"
      set -l flag (string replace -r -- '=.*' '=' "$cur")
      for p in (__fish_complete_path (string replace -r -- '^[^=]*=' '' "$cur"))
        printf '%s%s\\n' $flag $p
      end
    else
      __fish_complete_path "$cur"
    end
  else
    printf '%s\\n' $out
  end
end
complete -c kubecred -k -f -a '(__kubecred_complete)'
`

const powershell = `# PowerShell completion for kubecred: kubecred completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName kubecred -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | Select-Object -Skip 1 |
    Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
  $before = $words.Count
  if ($wordToComplete -ne '') { $before = $before - 1 }
  $out = @(& kubecred __complete $before @words 2>$null)
  if ($out.Count -gt 0 -and $out[0] -eq '${FILES}') { return }
  foreach ($c in $out) {
    [System.Management.Automation.CompletionResult]::new($c, $c, 'ParameterValue', $c)
  }
}
`

export const script = (shell: string): string | undefined => ({ bash, zsh, fish, powershell })[shell as "bash"]
