/**
 * Completion driven in the real shells, end to end with the bundled CLI against the mock: the script
 * `kubecred completion SHELL` prints is loaded in real bash, zsh (`zsh -f`) and fish (`fish --no-config`), and the
 * same cases run in each: commands and aliases, each choice a separate word, providers, regions, context names
 * for `remove` and `--context` (also from a `--kubeconfig ~/...` and inside an opening quote), cluster ids of the
 * last listing, paths (also after `--flag=`), and none of @effect/cli's built-ins.
 *
 * - bash: COMP_WORDS/COMP_CWORD set as bash sets them on Tab, then the script's function; COMPREPLY printed.
 * - zsh: compinit, the script sourced (and, once, installed in $fpath as `_kubecred`); `_comps` must name it.
 *   Then `words`, `CURRENT` and `PREFIX` are set as compsys sets them on Tab (a probe of real Tab presses through
 *   zpty showed `'tencent-` in words and `tencent-` in PREFIX inside a quote) and the function is called. Only
 *   compadd and _files, builtins that work solely inside a Tab press, are stand-ins: compadd refuses any option
 *   (so no -Q: zsh must quote what it inserts) and prints the matches of PREFIX as they would be inserted
 *   (IPREFIX in front); _files hands compadd the files matching PREFIX.
 * - fish: `complete -C LINE`, fish's own completion of a command line, prints the candidates.
 * - PowerShell: only the text of its script is checked; pwsh cannot be installed on this machine.
 *
 * A shell that is not installed skips its cases, saying so; it never passes them silently.
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { CLI, cliEnv, runCli, sharedMock, tempDir } from "./helpers.js"

const mock = sharedMock()
const plain = { PATH: process.env.PATH, HOME: "/nonexistent", NO_COLOR: "1" }

const installed = (shell: string) => spawnSync(shell, ["--version"], { encoding: "utf8" }).status === 0
const hasZsh = installed("zsh")
const hasFish = installed("fish")
const NOT_INSTALLED = (shell: string) => ` (skipped: ${shell} is not installed; apt-get install ${shell})`

type Env = Record<string, string | undefined>

/** How one shell completes `kubecred WORDS...` (the last word is the one under the cursor). */
interface Driver {
  readonly shell: "bash" | "zsh" | "fish"
  readonly complete: (words: ReadonlyArray<string>, env: Env, cwd?: string) => Array<string>
}

/** A `kubecred` on PATH that runs the bundle, as an installed one would. */
const binDir = () => {
  const bin = tempDir("bin")
  fs.writeFileSync(join(bin, "kubecred"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 })
  return bin
}

const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`

const runShell = (command: string, args: ReadonlyArray<string>, env: Env, cwd: string | undefined) => {
  const out = spawnSync(command, [...args], {
    env: { ...env, PATH: `${binDir()}:${process.env.PATH}` },
    encoding: "utf8",
    ...(cwd ? { cwd } : {})
  })
  expect(out.stderr).toBe("")
  expect(out.status).toBe(0)
  return out.stdout.split("\n").filter((l) => l !== "")
}

const bash: Driver = {
  shell: "bash",
  complete: (words, env, cwd) =>
    runShell(
      "bash",
      [
        "-c",
        [
          "source <(kubecred completion bash)",
          `COMP_WORDS=(kubecred ${words.map(quote).join(" ")})`,
          `COMP_CWORD=${words.length}`,
          "_kubecred",
          `printf '%s\\n' "\${COMPREPLY[@]}"`
        ].join("\n")
      ],
      env,
      cwd
    )
}

/** The stand-ins for the two builtins that only work inside a Tab press (see the header). */
const ZSH_STANDINS = `
compadd() {
  [[ $1 == -- ]] || { print -u2 "compadd called with options: $*"; return 1 }
  shift
  local w
  for w in "$@"; do [[ $w == \${PREFIX}* ]] && print -r -- "$IPREFIX$w"; done
}
_files() { compadd -- \${PREFIX}*(N) }
`

const COMPINIT = "autoload -Uz compinit && compinit -u -D"

/** `load` makes compinit know kubecred's completion; then a Tab press on `words` is imitated. */
const zshScript = (words: ReadonlyArray<string>, load: string) => {
  const current = words[words.length - 1] ?? ""
  return [
    load,
    `[[ \${_comps[kubecred]} == _kubecred ]] || { print -u2 "kubecred is not registered with compdef"; exit 3 }`,
    ZSH_STANDINS,
    `words=(kubecred ${words.map(quote).join(" ")})`,
    `CURRENT=${words.length + 1}`,
    // compsys puts the current word in PREFIX without an opening quote
    `PREFIX=${quote(current.replace(/^['"]/, ""))}`,
    "IPREFIX=''",
    "_kubecred"
  ].join("\n")
}

const zsh: Driver = {
  shell: "zsh",
  complete: (words, env, cwd) =>
    runShell("zsh", ["-f", "-c", zshScript(words, `${COMPINIT}\nsource <(kubecred completion zsh)`)], env, cwd)
}

const fish: Driver = {
  shell: "fish",
  complete: (words, env, cwd) =>
    runShell(
      "fish",
      ["--no-config", "-c", 'kubecred completion fish | source; complete -C "$KUBECRED_TEST_LINE"'],
      { ...env, KUBECRED_TEST_LINE: ["kubecred", ...words].join(" ") },
      cwd
    ).map((line) => line.split("\t")[0]!)
}

/** The same cases in every shell. */
const scenario = async (driver: Driver) => {
  const home = tempDir(`complete-${driver.shell}`)
  const kubeconfig = join(home, ".kube", "config")
  const env = cliEnv(mock(), home)
  const complete = (words: ReadonlyArray<string>, cwd?: string) => driver.complete(words, env, cwd)
  const tke = mock().tencent.clusters.find((c) => c.status === "Running" && c.region === "ap-guangzhou")!

  expect(complete([""])).toEqual(expect.arrayContaining(["add", "list", "ls", "rm", "completion", "help"]))
  expect(complete(["l"]).sort()).toEqual(["list", "ls"])
  expect(complete(["list", "-o", ""])).toEqual(["table", "wide", "json", "yaml", "name"])
  expect(complete(["add", ""])).toEqual(["tencent", "tke", "alibaba", "ack"])
  expect(complete(["add", "tke", "cls-x", "--region", "ap-gu"])).toEqual(["ap-guangzhou"])
  expect(complete(["add", "ack", "c1", "--region", ""])).toContain("cn-hangzhou")
  expect(complete(["add", "ack", "c1", "--region", ""])).not.toContain("ap-guangzhou")
  if (driver.shell !== "bash") {
    // bash splits `--region=ap` at the `=` itself; zsh and fish hand over one word
    expect(complete(["add", "tke", "cls-x", "--region=ap-gu"])).toEqual(["--region=ap-guangzhou"])
  }
  expect(complete(["--verbose", "rem"])).toEqual(["remove"])
  expect(complete(["completion", ""])).toEqual(["bash", "zsh", "fish", "powershell"])
  const flags = complete(["add", "--"])
  expect(flags).toEqual(expect.arrayContaining(["--region", "--on-conflict", "--kubeconfig", "--verbose"]))
  expect(flags.some((f) => f === "--wizard" || f === "--log-level" || f === "--completions")).toBe(false)
  expect(complete(["add", "tke", "x", "--on-conflict", "s"])).toEqual(["skip"])

  // context names from the kubeconfig, for remove and --context
  expect(complete(["remove", ""])).toEqual([])
  const added = await runCli(["add", "tke", tke.clusterId, "--region", tke.region, "-o", "name"], env)
  const context = added.stdout.trim()
  expect(fs.existsSync(kubeconfig)).toBe(true)
  expect(complete(["remove", ""])).toEqual([context])
  expect(complete(["rm", "tencent-"])).toEqual([context])
  expect(complete(["rm", "'tencent-"])).toEqual([context])
  expect(complete(["add", "tke", "x", "--context", ""])).toEqual([context])
  expect(complete(["remove", "--kubeconfig", join(home, "none"), ""])).toEqual([])
  expect(complete(["--kubeconfig", "~/.kube/config", "remove", ""])).toEqual([context])

  // cluster ids: what the last `list` showed
  expect(complete(["add", "tke", ""])).toEqual([])
  await runCli(["list", "tke", "--region", tke.region, "-o", "name"], env)
  const ids = complete(["add", "tke", ""])
  expect(ids).toContain(tke.clusterId)
  expect(ids.every((id) => id.startsWith("cls-"))).toBe(true)
  expect(complete(["add", "ack", ""])).toEqual([])

  // a path flag completes files, also after `--flag=`
  fs.writeFileSync(join(home, "my.kubeconfig"), "")
  expect(complete(["status", "--kubeconfig", "my."], home)).toEqual(["my.kubeconfig"])
  expect(complete(["mock", "--ready-file", "my."], home)).toEqual(["my.kubeconfig"])
  if (driver.shell === "bash") expect(complete(["status", "--kubeconfig", "=", "my."], home)).toEqual(["my.kubeconfig"])
  else expect(complete(["status", "--kubeconfig=my."], home)).toEqual(["--kubeconfig=my.kubeconfig"])
}

describe("completion in the real shells", () => {
  it("bash: commands, each choice a word, providers, regions, contexts, cluster ids of the last listing", () =>
    scenario(bash))

  it.skipIf(!hasZsh)(`zsh (zsh -f, compinit): the same cases${hasZsh ? "" : NOT_INSTALLED("zsh")}`, () => scenario(zsh))

  it.skipIf(!hasZsh)(
    `zsh: installed in $fpath, compinit autoloads and registers it${hasZsh ? "" : NOT_INSTALLED("zsh")}`,
    () => {
      const dir = tempDir("zsh-fpath")
      const script = spawnSync(process.execPath, [CLI, "completion", "zsh"], { encoding: "utf8" }).stdout
      fs.writeFileSync(join(dir, "_kubecred"), script)
      const out = runShell(
        "zsh",
        ["-f", "-c", zshScript(["list", "-o", "j"], `fpath=(${quote(dir)} $fpath)\n${COMPINIT}`)],
        plain,
        dir
      )
      expect(out).toEqual(["json"])
    }
  )

  it.skipIf(!hasFish)(
    `fish (fish --no-config, complete -C): the same cases${hasFish ? "" : NOT_INSTALLED("fish")}`,
    () => scenario(fish)
  )

  it("every shell's script calls the same completer; PowerShell's is checked as text only (no pwsh here)", async () => {
    for (const shell of ["bash", "zsh", "fish", "powershell"]) {
      const out = await runCli(["completion", shell], plain)
      expect(out.code).toBe(0)
      expect(out.stdout).toContain("kubecred __complete")
    }
    expect((await runCli(["completion", "powershell"], plain)).stdout).toContain("Register-ArgumentCompleter")
    const unknown = await runCli(["completion", "tcsh"], plain)
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe("")
    expect(unknown.stderr).toMatch(/^kubecred: .+ \(hint: .+\)\n$/)
    const syntax = spawnSync("bash", ["-n", "-c", (await runCli(["completion", "bash"], plain)).stdout])
    expect(syntax.status).toBe(0)
    if (hasZsh)
      expect(spawnSync("zsh", ["-n", "-c", (await runCli(["completion", "zsh"], plain)).stdout]).status).toBe(0)
    if (hasFish) {
      const fishScript = (await runCli(["completion", "fish"], plain)).stdout
      expect(spawnSync("fish", ["--no-config", "-n", "-c", fishScript]).status).toBe(0)
    }
  })
})
