/**
 * Credentials, then the kubeconfig, on the same libraries as the CLI. Keyless, the runner's OIDC token goes to
 * a file in the action's 0700 directory and the cloud's own OIDC variables (`TKE_ROLE_ARN`, `TKE_PROVIDER_ID`,
 * `TKE_WEB_IDENTITY_TOKEN_FILE`, `TKE_REGION`; `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`,
 * `ALIBABA_CLOUD_OIDC_TOKEN_FILE`) are handed to the provider's credential chain as its environment, so the
 * exchange at STS is the chain's (the one `kubecred` uses in a pod), not a second copy. That environment is
 * built here, not the job's: nothing else the job has (a stray key variable, a profile in $HOME) can win over
 * the keyless source. With the key inputs, the keys are the chain's explicit credentials.
 */
import * as AckCredentials from "@kubecred/alibaba/AckCredentials"
import * as AckEnv from "@kubecred/alibaba/AckEnvironment"
import * as AckPromise from "@kubecred/alibaba/Promise"
import type { FetchedKubeconfigResult } from "@kubecred/core/PromiseFacade"
import * as TkePromise from "@kubecred/tencent/Promise"
import * as TkeCredentials from "@kubecred/tencent/TkeCredentials"
import * as TkeEnv from "@kubecred/tencent/TkeEnvironment"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import type { ActionInputs } from "./inputs.js"
import { type Env, mask } from "./runner.js"

/** Which step failed: getting credentials (the STS exchange) or the cluster's kubeconfig. */
export class StepFailed {
  readonly _tag = "StepFailed"
  constructor(
    readonly step: "credentials" | "kubeconfig",
    readonly error: unknown
  ) {}
}

/** The job's variables the chain still needs: kubecred's own endpoint overrides and the proxy. */
const passThrough = (env: Env): Env =>
  Object.fromEntries(
    Object.entries(env).filter(([name]) => /^KUBECRED_/.test(name) || /^(https?|no)_proxy$/i.test(name))
  )

/** The chain's environment for one cloud: the OIDC variables when keyless, else nothing but the overrides. */
export const chainEnv = (inputs: ActionInputs, env: Env, tokenFile: string | undefined): Env => {
  const base: Env = { ...passThrough(env), HOME: undefined }
  if (inputs.auth._tag === "keys" || tokenFile === undefined) return base
  const { roleArn, oidcProvider } = inputs.auth.oidc
  if (inputs.provider === "tencent") {
    return {
      ...base,
      [TkeEnv.ENV_OIDC_ROLE_ARN]: roleArn,
      [TkeEnv.ENV_OIDC_PROVIDER_ID]: oidcProvider,
      [TkeEnv.ENV_OIDC_TOKEN_FILE]: tokenFile,
      [TkeEnv.ENV_OIDC_REGION]: inputs.region
    }
  }
  return {
    ...base,
    [AckEnv.ENV_OIDC_ROLE_ARN]: roleArn,
    [AckEnv.ENV_OIDC_PROVIDER_ARN]: oidcProvider,
    [AckEnv.ENV_OIDC_TOKEN_FILE]: tokenFile,
    [AckEnv.ENV_ROLE_SESSION_NAME]: sessionName(env)
  }
}

/** `kubecred-action-<run id>`, within STS's `[\w.@-]{2,64}`. */
const sessionName = (env: Env) =>
  `kubecred-action-${(env.GITHUB_RUN_ID ?? "local").replace(/[^\w.@-]/g, "")}`.slice(0, 64)

/** Writes the OIDC token where the chain reads it (0600, in the action's 0700 directory). */
export const writeToken = (dir: string, token: string): string => {
  const file = join(dir, "oidc-token")
  writeFileSync(file, token, { mode: 0o600 })
  return file
}

const run = async <A>(step: StepFailed["step"], effect: Effect.Effect<A, unknown>): Promise<A> => {
  const exit = await Effect.runPromiseExit(effect)
  if (Exit.isSuccess(exit)) return exit.value
  const failure = Cause.failureOption(exit.cause)
  throw new StepFailed(step, Option.isSome(failure) ? failure.value : Cause.squash(exit.cause))
}

const attempt = async <A>(step: StepFailed["step"], promise: () => Promise<A>): Promise<A> => {
  try {
    return await promise()
  } catch (error) {
    throw new StepFailed(step, error)
  }
}

interface Credentials {
  readonly id: string
  readonly secret: Redacted.Redacted<string>
  readonly token: Redacted.Redacted<string> | undefined
}

/** Masks a session's every part (the id too: STS ids name the session) before anything else is printed. */
const maskAll = (credentials: Credentials) => {
  mask(credentials.id)
  mask(Redacted.value(credentials.secret))
  if (credentials.token) mask(Redacted.value(credentials.token))
}

/** The key inputs, as the chain's explicit credentials. */
const explicitKeys = (inputs: ActionInputs) => {
  if (inputs.auth._tag !== "keys") return undefined
  const { id, secret, token } = inputs.auth.keys
  return { id, secret: Redacted.make(secret), token: token === undefined ? undefined : Redacted.make(token) }
}

/**
 * The chain walked with the environment built above: the OIDC source when keyless; with the key inputs, those
 * keys, and when `role-arn` is given the role they assume (the chain's `roleArn`, STS AssumeRole).
 */
const resolveCredentials = async (inputs: ActionInputs, env: Env, home: string): Promise<Credentials> => {
  const keys = explicitKeys(inputs)
  const role =
    inputs.auth._tag === "keys" && inputs.auth.roleArn !== undefined
      ? { roleArn: inputs.auth.roleArn, roleSessionName: sessionName(env) }
      : {}
  if (keys !== undefined && role.roleArn === undefined) return keys
  if (inputs.provider === "tencent") {
    const credentials = keys && { secretId: keys.id, secretKey: keys.secret, token: keys.token }
    const found = await run(
      "credentials",
      TkeCredentials.resolve({ env, home, systemCredentials: join(home, "none"), credentials, ...role })
    )
    return { id: found.secretId, secret: found.secretKey, token: found.token }
  }
  const credentials = keys && { accessKeyId: keys.id, accessKeySecret: keys.secret, securityToken: keys.token }
  const found = await run("credentials", AckCredentials.resolve({ env, home, credentials, ...role }))
  return { id: found.accessKeyId, secret: found.accessKeySecret, token: found.securityToken }
}

/** Credentials (masked as soon as they exist), then the kubeconfig. */
export const fetchKubeconfig = async (
  inputs: ActionInputs,
  env: Env,
  dir: string,
  tokenFile: string | undefined
): Promise<FetchedKubeconfigResult> => {
  const forChain = chainEnv(inputs, env, tokenFile)
  const credentials = await resolveCredentials(inputs, forChain, dir)
  maskAll(credentials)
  const call = {
    clusterId: inputs.clusterId,
    region: inputs.region,
    endpoint: inputs.endpoint,
    env: forChain,
    home: dir
  }
  if (inputs.provider === "tencent") {
    const options = {
      ...call,
      credentials: { secretId: credentials.id, secretKey: credentials.secret, token: credentials.token }
    }
    return attempt("kubeconfig", () => TkePromise.fetchKubeconfig(options)).finally(TkePromise.dispose)
  }
  const options = {
    ...call,
    temporaryDurationMinutes: inputs.ttlMinutes,
    credentials: { accessKeyId: credentials.id, accessKeySecret: credentials.secret, securityToken: credentials.token }
  }
  return attempt("kubeconfig", () => AckPromise.fetchKubeconfig(options)).finally(AckPromise.dispose)
}
