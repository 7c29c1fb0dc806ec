/**
 * The action's main step: inputs (secrets masked first), a fresh 0700 directory under RUNNER_TEMP (saved as
 * state at once, so the post step removes it even if this step fails), the runner's OIDC token when keyless,
 * credentials from the provider's chain, the kubeconfig, then KUBECONFIG and the outputs.
 */
import { rmSync } from "node:fs"
import type { Context } from "./internal/annotation.js"
import { fetchKubeconfig, writeToken } from "./internal/fetch.js"
import { type ActionInputs, read } from "./internal/inputs.js"
import { makeDir, prepare, write } from "./internal/kubeconfigFile.js"
import {
  type Env,
  canRequestIdToken,
  exportVariable,
  info,
  requestIdToken,
  saveState,
  setOutput
} from "./internal/runner.js"

export const STATE_DIR = "kubecred_dir"

/** The token's `sub` claim (not a secret), for the trust-policy hint; undefined when it is not a JWT. */
const subjectOf = (token: string): string | undefined => {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"))
    return typeof payload.sub === "string" ? payload.sub : undefined
  } catch {
    return undefined
  }
}

const defaultContext = (inputs: ActionInputs) => `${inputs.provider}-${inputs.region}-${inputs.clusterId}`

/** Runs the step; `context` is filled as it goes, for the annotation of a failure. */
export const main = async (env: Env, context: Context): Promise<void> => {
  const inputs = read(env)
  context.inputs = inputs
  if (inputs.auth._tag === "oidc" && !canRequestIdToken(env)) {
    // fails with what to fix before anything is created
    await requestIdToken(env, inputs.auth.oidc.audience)
  }
  const dir = makeDir(env.RUNNER_TEMP)
  saveState(env, STATE_DIR, dir)
  let tokenFile: string | undefined
  if (inputs.auth._tag === "oidc") {
    const token = await requestIdToken(env, inputs.auth.oidc.audience)
    context.subject = subjectOf(token)
    tokenFile = writeToken(dir, token)
  }
  const fetched = await fetchKubeconfig(inputs, env, dir, tokenFile).finally(() => {
    if (tokenFile) rmSync(tokenFile, { force: true })
  })
  const { text, context: contextName } = prepare(
    fetched.kubeconfig,
    inputs.contextName ?? defaultContext(inputs),
    inputs.namespace
  )
  const file = write(dir, text)
  exportVariable(env, "KUBECONFIG", file)
  // Terraform's kubernetes and helm providers read this one (get-gke-credentials exports both)
  exportVariable(env, "KUBE_CONFIG_PATH", file)
  const expiresAt = fetched.expiresAt?.toISOString() ?? ""
  setOutput(env, "kubeconfig", file)
  setOutput(env, "context", contextName)
  setOutput(env, "expires-at", expiresAt)
  info(
    `kubecred: context ${contextName} for ${inputs.provider} cluster ${inputs.clusterId} (${inputs.region}, ${
      inputs.auth._tag === "oidc" ? `keyless as ${inputs.auth.oidc.roleArn}` : "key inputs"
    }) in ${file}${expiresAt ? `, expires ${expiresAt}` : ""}; KUBECONFIG is set for the next steps`
  )
}
