/**
 * A failure as the one `::error::` line the job shows: what went wrong and what to fix (the permission, the
 * role's trust policy, the cluster id or region), decided from the taxonomy's tag and the step that failed.
 * Never a stack; the taxonomy's messages hold no secret, and runner.error scrubs every masked value anyway.
 */
import type { ActionInputs } from "./inputs.js"
import { StepFailed } from "./fetch.js"
import { ActionFailure } from "./runner.js"

interface Tagged {
  readonly _tag: string
  readonly message: string
  readonly code?: string | undefined
}

const isTagged = (error: unknown): error is Tagged =>
  typeof error === "object" && error !== null && typeof (error as Tagged)._tag === "string"

const codeOf = (error: Tagged) => (error.code ? ` (${error.code})` : "")

/** What the main step has learnt so far, filled in as it goes, for the annotation of a failure. */
export interface Context {
  inputs: ActionInputs | undefined
  /** The OIDC token's subject, to name in a trust-policy hint. */
  subject: string | undefined
}

const credentialsHint = (error: Tagged, context: Context): string => {
  const inputs = context.inputs
  if (inputs?.auth._tag === "oidc") {
    const { roleArn, oidcProvider, audience } = inputs.auth.oidc
    if (error._tag === "AuthenticationFailed" || error._tag === "AccessDenied") {
      return `the role ${roleArn} refused the GitHub OIDC token${codeOf(error)}: its trust policy must allow the OIDC provider ${oidcProvider} with audience ${audience}${context.subject ? ` and subject ${context.subject}` : ""} (README "GitHub Actions")`
    }
    return `exchanging the GitHub OIDC token for role ${roleArn} failed: ${error.message}`
  }
  if (inputs?.auth._tag === "keys" && inputs.auth.roleArn !== undefined) {
    if (error._tag === "AuthenticationFailed" || error._tag === "AccessDenied") {
      return `the role ${inputs.auth.roleArn} refused the key inputs' identity${codeOf(error)}: its trust policy must trust that account or user, and the user needs sts:AssumeRole on the role`
    }
    return `assuming role ${inputs.auth.roleArn} with the key inputs failed: ${error.message}`
  }
  return `the key inputs were refused: ${error.message}`
}

const kubeconfigHint = (error: Tagged, inputs: ActionInputs | undefined): string => {
  const cluster = inputs ? `cluster ${inputs.clusterId} in ${inputs.region}` : "the cluster"
  switch (error._tag) {
    case "ClusterNotFound":
      return `${cluster} was not found${codeOf(error)}: check the cluster-id and region inputs, and that the cluster belongs to the role's account`
    case "AccessDenied":
      return `the credentials may not fetch the kubeconfig of ${cluster}${codeOf(error)}: grant the role ${
        inputs?.provider === "alibaba" ? "cs:DescribeClusterUserKubeconfig" : "tke:DescribeClusterKubeconfig"
      } on it`
    case "AuthenticationFailed":
      return `the cloud refused the credentials: ${error.message}; check the ${
        inputs?.auth._tag === "oidc" ? "role's session" : "key inputs"
      }`
    case "ClusterUnavailable":
    case "Throttled":
    case "ProviderInternal":
    case "Transport":
      return `${error.message}; re-run the job`
    default:
      return error.message
  }
}

export const describe = (failure: unknown, context: Context): string => {
  if (failure instanceof ActionFailure) return failure.message
  if (failure instanceof StepFailed && isTagged(failure.error)) {
    return failure.step === "credentials"
      ? credentialsHint(failure.error, context)
      : kubeconfigHint(failure.error, context.inputs)
  }
  const inner = failure instanceof StepFailed ? failure.error : failure
  // not ours: its name only, as a message from elsewhere could hold anything
  return `unexpected failure (${inner instanceof Error ? inner.name : typeof inner}): please report it at the kubecred repository`
}
