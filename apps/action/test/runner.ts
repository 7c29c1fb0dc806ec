/**
 * The GitHub Actions runner, emulated for the bundled action: each step is `node dist/index.cjs` in a process of
 * its own with `INPUT_*` (action.yml's defaults filled in, as the runner does), fresh `GITHUB_ENV`,
 * `GITHUB_OUTPUT` and `GITHUB_STATE` files, `RUNNER_TEMP`, and for the post step the main step's state as
 * `STATE_*`. A token endpoint on 127.0.0.1 answers as the runner's does (`?api-version=2.0&audience=`, bearer
 * `ACTIONS_ID_TOKEN_REQUEST_TOKEN`, `{"value": "<jwt>"}`), minting from the mock's OIDC issuer.
 */
import { spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import type { MockCloud } from "@kubecred/mock-cloud"
import { parse } from "yaml"

export const appDir = join(dirname(fileURLToPath(import.meta.url)), "..")
export const BUNDLE = join(appDir, "dist", "index.cjs")

const made: Array<string> = []
export const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(join(tmpdir(), `kubecred-action-${prefix}-`))
  made.push(dir)
  return dir
}
export const removeTempDirs = () => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}

/** `name<<delimiter` blocks (and plain `name=value` lines), as the runner reads its command files. */
export const parseCommandFile = (text: string): Record<string, string> => {
  const out: Record<string, string> = {}
  const lines = text.split("\n")
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const value: Array<string> = []
      while (++i < lines.length && lines[i] !== heredoc[2]) value.push(lines[i]!)
      if (i >= lines.length) throw new Error(`unterminated ${heredoc[1]}`)
      out[heredoc[1]!] = value.join("\n")
    } else if (line.includes("=")) {
      out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1)
    }
  }
  return out
}

const defaults: Record<string, string> = Object.fromEntries(
  Object.entries(
    (parse(fs.readFileSync(join(appDir, "action.yml"), "utf8")) as { inputs: Record<string, { default?: string }> })
      .inputs
  )
    .filter(([, spec]) => spec.default !== undefined)
    .map(([name, spec]) => [name, String(spec.default)])
)

export interface StepResult {
  readonly code: number | null
  /** stdout then stderr, as the log shows them (before the runner's masking). */
  readonly log: string
  readonly stdout: string
  readonly stderr: string
  readonly outputs: Record<string, string>
  readonly exported: Record<string, string>
  readonly state: Record<string, string>
}

export interface Job {
  readonly runnerTemp: string
  readonly home: string
  /** The step's environment besides the inputs and files (the job's `env:` and the runner's own). */
  readonly env: Record<string, string | undefined>
}

export const newJob = (env: Record<string, string | undefined>): Job => {
  const root = tempDir("job")
  const runnerTemp = join(root, "_temp")
  const home = join(root, "home")
  fs.mkdirSync(runnerTemp)
  fs.mkdirSync(home)
  return {
    runnerTemp,
    home,
    env: { PATH: process.env.PATH, HOME: home, RUNNER_TEMP: runnerTemp, GITHUB_ACTIONS: "true", CI: "true", ...env }
  }
}

let stepNumber = 0

/** Runs one step of the action: the main step with `inputs`, or the post step with the main step's `state`. */
export const runStep = (
  job: Job,
  step: { readonly inputs?: Record<string, string>; readonly state?: Record<string, string> }
): Promise<StepResult> => {
  const files = join(job.runnerTemp, "_runner_file_commands")
  fs.mkdirSync(files, { recursive: true })
  const n = ++stepNumber
  const paths = {
    GITHUB_ENV: join(files, `set_env_${n}`),
    GITHUB_OUTPUT: join(files, `set_output_${n}`),
    GITHUB_STATE: join(files, `save_state_${n}`)
  }
  for (const path of Object.values(paths)) fs.writeFileSync(path, "")
  const inputs = { ...defaults, ...step.inputs }
  const env = {
    ...job.env,
    ...paths,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...Object.fromEntries(Object.entries(step.state ?? {}).map(([name, value]) => [`STATE_${name}`, value]))
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUNDLE], { env, stdio: ["ignore", "pipe", "pipe"], cwd: job.home })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d))
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d))
    child.on("error", reject)
    child.on("close", (code) =>
      resolve({
        code,
        stdout,
        stderr,
        log: stdout + stderr,
        outputs: parseCommandFile(fs.readFileSync(paths.GITHUB_OUTPUT, "utf8")),
        exported: parseCommandFile(fs.readFileSync(paths.GITHUB_ENV, "utf8")),
        state: parseCommandFile(fs.readFileSync(paths.GITHUB_STATE, "utf8"))
      })
    )
  })
}

/** The values the runner would mask: every `::add-mask::` line. */
export const maskedValues = (log: string): Array<string> =>
  log
    .split(/\r?\n/)
    .filter((line) => line.startsWith("::add-mask::"))
    .map((line) => line.slice("::add-mask::".length))

/** Fails when a secret is printed anywhere but on an `::add-mask::` line, or is printed before it was masked. */
export const secretsOnlyMasked = (log: string, secrets: ReadonlyArray<string>): Array<string> => {
  const leaks: Array<string> = []
  for (const line of log.split(/\r?\n/)) {
    if (line.startsWith("::add-mask::")) continue
    for (const secret of secrets) if (secret !== "" && line.includes(secret)) leaks.push(line)
  }
  return leaks
}

/** The `::error::` lines. */
export const annotations = (log: string): Array<string> =>
  log.split(/\r?\n/).filter((line) => line.startsWith("::error::"))

export interface TokenEndpoint {
  /** What the runner sets with `permissions: id-token: write`. */
  readonly env: { readonly ACTIONS_ID_TOKEN_REQUEST_URL: string; readonly ACTIONS_ID_TOKEN_REQUEST_TOKEN: string }
  /** Every token handed out so far, and the audiences asked for. */
  readonly minted: Array<string>
  readonly audiences: Array<string>
  close(): Promise<void>
}

/** The runner's token endpoint: the bearer checked, the token minted by the mock's OIDC issuer for `subject`. */
export const startTokenEndpoint = async (mock: MockCloud, subject: string): Promise<TokenEndpoint> => {
  const bearer = randomBytes(24).toString("base64url")
  const minted: Array<string> = []
  const audiences: Array<string> = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1")
    const audience = url.searchParams.get("audience")
    if (req.headers.authorization !== `Bearer ${bearer}` || url.searchParams.get("api-version") !== "2.0") {
      res.writeHead(401, { "content-type": "application/json" }).end('{"message":"unauthorized"}')
      return
    }
    if (!audience) {
      res.writeHead(400).end()
      return
    }
    audiences.push(audience)
    fetch(mock.oidc.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ audience, subject })
    })
      .then((r) => r.json() as Promise<{ token: string }>)
      .then(({ token }) => {
        minted.push(token)
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ count: 1, value: token }))
      })
      .catch(() => res.writeHead(500).end())
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const port = (server.address() as AddressInfo).port
  return {
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${port}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: bearer
    },
    minted,
    audiences,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
