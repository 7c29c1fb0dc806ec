/**
 * The GitHub Actions runner protocol, as actions/toolkit's @actions/core speaks it (its bundle is ~430 KiB
 * with undici; this is the part we use): inputs from `INPUT_<NAME>`, outputs, exported variables and state
 * appended to the `GITHUB_OUTPUT` / `GITHUB_ENV` / `GITHUB_STATE` files as `name<<delimiter` blocks, state
 * read back from `STATE_<name>` in the post step, workflow commands (`::add-mask::`, `::error::`) on stdout,
 * and the OIDC token from `ACTIONS_ID_TOKEN_REQUEST_URL` + `&audience=` with the bearer
 * `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (answered `{"value": "<jwt>"}`). docs/github-action.md has the details.
 */
import { randomUUID } from "node:crypto"
import { appendFileSync } from "node:fs"
import { EOL } from "node:os"

export type Env = Record<string, string | undefined>

/** A failure the user can fix, said in one line (the `::error::` annotation). */
export class ActionFailure extends Error {
  readonly _tag = "ActionFailure"
}

/** `INPUT_<NAME>` (upper case, spaces as `_`, dashes kept), trimmed; empty is absent. */
export const input = (env: Env, name: string): string | undefined => {
  const value = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`]?.trim()
  return value === undefined || value === "" ? undefined : value
}

/** The YAML 1.2 core booleans, as @actions/core's getBooleanInput accepts them. */
export const booleanInput = (env: Env, name: string, fallback: boolean): boolean => {
  const value = input(env, name)
  if (value === undefined) return fallback
  if (["true", "True", "TRUE"].includes(value)) return true
  if (["false", "False", "FALSE"].includes(value)) return false
  throw new ActionFailure(`input ${name}: ${JSON.stringify(value)} is not a boolean (use true or false)`)
}

/** Escapes a workflow command's message, as the toolkit does. */
const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A")

const command = (name: string, message: string): void => {
  process.stdout.write(`::${name}::${escapeData(message)}${EOL}`)
}

const masked = new Set<string>()

/** Tells the runner to replace `secret` with `***` in every later log line. */
export const mask = (secret: string | undefined) => {
  if (secret === undefined || secret === "") return
  // the runner masks line by line: a multi-line secret is masked one line at a time
  for (const line of secret.split(/\r?\n/)) {
    if (line.trim() === "" || masked.has(line)) continue
    masked.add(line)
    command("add-mask", line)
  }
}

/** The text with every masked value replaced, as the runner would; for what we print ourselves. */
export const scrub = (text: string): string => {
  let out = text
  for (const secret of masked) out = out.split(secret).join("***")
  return out
}

export const error = (message: string) => command("error", scrub(message))
export const warning = (message: string) => command("warning", scrub(message))
export const info = (message: string): void => {
  process.stdout.write(`${scrub(message)}${EOL}`)
}

const fileCommand = (env: Env, variable: string, name: string, value: string) => {
  const file = env[variable]
  if (!file) throw new ActionFailure(`${variable} is not set: run this action as a step of a GitHub Actions job`)
  const delimiter = `ghadelimiter_${randomUUID()}`
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error("unexpected delimiter in a value")
  appendFileSync(file, `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, { encoding: "utf8" })
}

export const setOutput = (env: Env, name: string, value: string) => fileCommand(env, "GITHUB_OUTPUT", name, value)
export const exportVariable = (env: Env, name: string, value: string) => fileCommand(env, "GITHUB_ENV", name, value)
export const saveState = (env: Env, name: string, value: string) => fileCommand(env, "GITHUB_STATE", name, value)
export const getState = (env: Env, name: string): string | undefined => env[`STATE_${name}`] || undefined

export const ID_TOKEN_URL = "ACTIONS_ID_TOKEN_REQUEST_URL"
export const ID_TOKEN_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN"

/** Whether the job may ask for an OIDC token (`permissions: id-token: write` sets both variables). */
export const canRequestIdToken = (env: Env) => Boolean(env[ID_TOKEN_URL] && env[ID_TOKEN_TOKEN])

/** The runner's OIDC token for `audience`, masked before it is returned. */
export const requestIdToken = async (env: Env, audience: string): Promise<string> => {
  const url = env[ID_TOKEN_URL]
  const bearer = env[ID_TOKEN_TOKEN]
  if (!url || !bearer) {
    throw new ActionFailure(
      "no OIDC token: the job lacks `permissions: id-token: write` (add it to the job or workflow), or give the key inputs instead"
    )
  }
  mask(bearer)
  let response: Response
  try {
    response = await fetch(`${url}&audience=${encodeURIComponent(audience)}`, {
      headers: { Authorization: `Bearer ${bearer}`, Accept: "application/json" },
      signal: AbortSignal.timeout(30_000)
    })
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new ActionFailure(`the runner's OIDC token endpoint did not answer (${reason}); re-run the job`)
  }
  const body = await response.text()
  if (!response.ok) {
    throw new ActionFailure(
      `the runner refused the OIDC token request (HTTP ${response.status}); check the job's \`permissions: id-token: write\``
    )
  }
  let value: unknown
  try {
    value = (JSON.parse(body) as { value?: unknown }).value
  } catch {
    value = undefined
  }
  if (typeof value !== "string" || value === "") {
    throw new ActionFailure("the runner's OIDC token endpoint answered without a token; re-run the job")
  }
  mask(value)
  return value
}
