/**
 * Test helpers: the bundled CLI run as a separate process (built once if missing), a mock cloud in this
 * process (127.0.0.1, port 0), and temporary homes.
 */
import { type SpawnOptions, spawn, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { type MockCloud, start } from "@kubecred/mock-cloud"
import { afterAll, beforeAll } from "vitest"

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..")
export const CLI = join(appDir, "dist", "kubecred.cjs")

const newest = (dir: string): number => {
  let latest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : fs.statSync(path).mtimeMs)
  }
  return latest
}

/** Builds the bundle when it is missing or older than a source it bundles (turbo builds it before `test`). */
export const ensureBuilt = () => {
  const bundle = join(appDir, "dist", "main.cjs")
  const sources = [
    join(appDir, "src"),
    ...["packages/core", "packages/kubeconfig", "packages/tencent", "packages/alibaba", "mocks/server"].map((p) =>
      join(appDir, "..", "..", p, "src")
    )
  ]
  const stale =
    !fs.existsSync(CLI) ||
    !fs.existsSync(bundle) ||
    sources.some((dir) => fs.existsSync(dir) && newest(dir) > fs.statSync(bundle).mtimeMs)
  if (!stale) return
  const result = spawnSync(process.execPath, [join(appDir, "scripts", "build.mjs")], { encoding: "utf8" })
  if (result.status !== 0) throw new Error(`build failed: ${result.stderr}`)
}

export interface Ran {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

export const runCli = (
  args: ReadonlyArray<string>,
  env: Record<string, string | undefined>,
  options: SpawnOptions = {}
): Promise<Ran> => run(process.execPath, [CLI, ...args], env, options)

export const run = (
  command: string,
  args: ReadonlyArray<string>,
  env: Record<string, string | undefined>,
  options: SpawnOptions = {}
): Promise<Ran> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      ...options,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code, stdout, stderr }))
  })

const made: Array<string> = []

/** A temporary directory, removed by removeTempDirs (afterAll). */
export const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(join(tmpdir(), `kubecred-${prefix}-`))
  made.push(dir)
  return dir
}

export const removeTempDirs = () => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** A clean environment: only PATH, a private HOME and cache, no colour, the mock's demo credentials. */
export const cliEnv = (mock: MockCloud, home: string, extra: Record<string, string | undefined> = {}) => ({
  PATH: process.env.PATH,
  HOME: home,
  NO_COLOR: "1",
  KUBECRED_CACHE_DIR: join(home, "cache"),
  KUBECRED_RETRIES: "1",
  TENCENTCLOUD_SECRET_ID: mock.tencent.secretId,
  TENCENTCLOUD_SECRET_KEY: mock.tencent.secretKey,
  ALIBABA_CLOUD_ACCESS_KEY_ID: mock.alibaba.accessKeyId,
  ALIBABA_CLOUD_ACCESS_KEY_SECRET: mock.alibaba.accessKeySecret,
  KUBECRED_TKE_ENDPOINT: mock.tencent.endpoint,
  KUBECRED_ACK_ENDPOINT: mock.alibaba.endpoint,
  ...extra
})

export const startMock = () => start({ port: 0 })

export const hasKubectl = () => spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" }).status === 0

/** These tests never skip kubectl: without it they fail (.ci/run installs Debian's kubernetes-client). */
export const requireKubectl = (): true => {
  if (!hasKubectl()) throw new Error("kubectl is not on PATH; the end-to-end tests need it")
  return true
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export const pool = async <A, B>(items: ReadonlyArray<A>, limit: number, fn: (a: A, i: number) => Promise<B>) => {
  const out: Array<B> = new Array(items.length)
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        out[i] = await fn(items[i]!, i)
      }
    })
  )
  return out
}

/**
 * The mock a test file shares: the CLI is built and the mock started before its tests, and the mock stopped and
 * the temporary directories removed after them. Call it at the top level; the getter is valid inside tests.
 */
export const sharedMock = (): (() => MockCloud) => {
  let mock: MockCloud | undefined
  beforeAll(async () => {
    ensureBuilt()
    mock = await startMock()
  })
  afterAll(async () => {
    await mock?.stop()
    removeTempDirs()
  })
  return () => {
    if (mock === undefined) throw new Error("the shared mock starts in beforeAll")
    return mock
  }
}
