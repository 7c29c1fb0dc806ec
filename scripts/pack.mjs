// `pnpm run pack`: builds everything, then leaves exactly one tarball per publishable workspace package in
// packs/ (pnpm pack: publishConfig applied, workspace:^ replaced by the version). Prints each tarball's size.
import { execFile, execFileSync } from "node:child_process"
import { promisify } from "node:util"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { join } from "node:path"

const root = join(import.meta.dirname, "..")
const packs = join(root, "packs")
// Under `pnpm run`, the pnpm that runs us (npm_execpath); else the pinned one through npx.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm itself, and this script does not run under turbo
const execpath = process.env.npm_execpath ?? ""
const pnpm = /pnpm/.test(execpath) ? [process.execPath, execpath] : ["npx", "--yes", "pnpm@9.15.9"]
const run = (args, cwd = root) => execFileSync(pnpm[0], [...pnpm.slice(1), ...args], { cwd, stdio: "inherit" })
const runAsync = (args, cwd) => promisify(execFile)(pnpm[0], [...pnpm.slice(1), ...args], { cwd })

/** Every workspace package that is not private, in a stable order. */
export const publishable = () =>
  ["packages", "mocks", "apps"]
    .flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ manifest }) => manifest.private !== true)

/** packs/<name>-<version>.tgz as pnpm names it (@scope/name -> scope-name). */
export const tarballName = ({ name, version }) => `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`

if (process.argv[1] === import.meta.filename) {
  run(["exec", "turbo", "run", "build", "build:dist", "--output-logs=errors-only"])
  rmSync(packs, { recursive: true, force: true })
  mkdirSync(packs)
  const packages = publishable()
  await Promise.all(packages.map(({ dir }) => runAsync(["pack", "--pack-destination", packs], dir)))
  const expected = packages.map(({ manifest }) => tarballName(manifest)).sort()
  const found = readdirSync(packs).sort()
  if (JSON.stringify(found) !== JSON.stringify(expected)) {
    console.error(`packs/ holds ${found.join(", ")}; expected ${expected.join(", ")}`)
    process.exit(1)
  }
  for (const file of found) console.log(`packs/${file} ${(statSync(join(packs, file)).size / 1024).toFixed(1)} KiB`)
}
