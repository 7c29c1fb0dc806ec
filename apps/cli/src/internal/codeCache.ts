/**
 * Loads the bundled program (a CommonJS file) through vm.Script with a V8 code cache, so a start pays
 * neither the parse nor the lazy compilation of the functions an earlier run already compiled. Node 20 has
 * no module compile cache of its own. The cache sits in `<dist>/.cache` (written by the build), else in
 * $XDG_CACHE_HOME/kubecred or ~/.cache/kubecred; its name carries the bundle's size and mtime and the node
 * version, and V8 rejects a cache from another V8 or other flags (then it is written again at exit).
 * node built-ins only: this module is on every start.
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import { homedir } from "node:os"
import * as path from "node:path"
import * as vm from "node:vm"

const cacheDirs = (bundle: string, env: NodeJS.ProcessEnv): Array<string> => {
  const home = env.HOME && env.HOME !== "" ? env.HOME : homedir()
  const xdg = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME !== "" ? env.XDG_CACHE_HOME : path.join(home, ".cache")
  return [path.join(path.dirname(bundle), ".cache"), path.join(xdg, "kubecred")]
}

export const loadWithCodeCache = (bundle: string, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> => {
  const source = fs.readFileSync(bundle, "utf8")
  const stat = fs.statSync(bundle)
  const name = `${path.basename(bundle)}-${stat.size}-${Math.floor(stat.mtimeMs)}-${process.version}-${process.arch}.v8`
  const disabled = env.KUBECRED_CODE_CACHE === "0"
  let cachedData: Buffer | undefined
  if (!disabled) {
    for (const dir of cacheDirs(bundle, env)) {
      try {
        cachedData = fs.readFileSync(path.join(dir, name))
        break
      } catch {
        // not there
      }
    }
  }
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${source}\n})`
  const script = new vm.Script(wrapper, {
    filename: bundle,
    ...(cachedData ? { cachedData } : {}),
    ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER
      ? { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER as never }
      : {})
  })
  const module = { exports: {} as Record<string, unknown> }
  const fn = script.runInThisContext() as (...args: ReadonlyArray<unknown>) => void
  fn.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle))
  if (!disabled && (cachedData === undefined || script.cachedDataRejected === true)) {
    // At exit the cache also holds every function this run compiled.
    process.once("exit", () => {
      let data: Buffer
      try {
        data = script.createCachedData()
      } catch {
        return
      }
      for (const dir of cacheDirs(bundle, env)) {
        try {
          fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
          const temp = path.join(dir, `.${name}.${process.pid}.tmp`)
          fs.writeFileSync(temp, data, { mode: 0o600 })
          fs.renameSync(temp, path.join(dir, name))
          return
        } catch {
          // try the next place; a cache that cannot be written is not an error
        }
      }
    })
  }
  return module.exports
}
