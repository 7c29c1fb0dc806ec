/**
 * The kubeconfig the action leaves for later steps: one fresh 0700 directory under RUNNER_TEMP (never
 * ~/.kube/config, which other jobs on a shared runner may read or overwrite), the file 0600, its one context
 * renamed to `context-name` and set as current, with `namespace` when given. Its key material is masked first.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { basename, dirname, join, resolve } from "node:path"
import * as YAML from "yaml"
import { ActionFailure, mask } from "./runner.js"

export const DIR_PREFIX = "kubecred-"

/** A fresh directory for this run's files (mkdtemp makes it 0700). */
export const makeDir = (runnerTemp: string | undefined): string => {
  if (!runnerTemp) throw new ActionFailure("RUNNER_TEMP is not set: run this action as a step of a GitHub Actions job")
  return mkdtempSync(join(runnerTemp, DIR_PREFIX))
}

/** Deletes a directory makeDir made, and nothing else: it must be a `kubecred-` child of RUNNER_TEMP. */
export const removeDir = (dir: string, runnerTemp: string | undefined): boolean => {
  const target = resolve(dir)
  if (!runnerTemp || dirname(target) !== resolve(runnerTemp) || !basename(target).startsWith(DIR_PREFIX)) return false
  rmSync(target, { recursive: true, force: true })
  return true
}

/** Every secret a kubeconfig may hold, masked, and the document with the context renamed. */
export const prepare = (
  yaml: string,
  contextName: string,
  namespace: string | undefined
): { readonly text: string; readonly context: string } => {
  const doc = YAML.parse(yaml) as {
    contexts?: Array<{ name: string; context: Record<string, unknown> }>
    users?: Array<{ user?: Record<string, unknown> }>
    "current-context"?: string
  }
  for (const user of doc.users ?? []) {
    for (const field of ["client-key-data", "token", "password"]) {
      const value = user.user?.[field]
      if (typeof value === "string") {
        mask(value)
        // base64 key data decodes to a PEM; mask its lines too, in case a later step prints it decoded
        if (field === "client-key-data") mask(Buffer.from(value, "base64").toString("utf8"))
      }
    }
  }
  const contexts = doc.contexts ?? []
  if (contexts.length !== 1)
    throw new ActionFailure(`the cloud answered a kubeconfig with ${contexts.length} contexts, expected 1`)
  const context = contexts[0]!
  context.name = contextName
  if (namespace !== undefined) context.context.namespace = namespace
  doc["current-context"] = contextName
  return { text: YAML.stringify(doc), context: contextName }
}

export const write = (dir: string, text: string): string => {
  const file = join(dir, "kubeconfig")
  writeFileSync(file, text, { mode: 0o600 })
  return file
}
