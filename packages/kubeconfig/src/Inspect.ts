/**
 * What each context of a kubeconfig read chain is: where it is defined, its server, whether kubecred manages
 * it, when its client certificate expires (node:crypto X509Certificate) and what kubecred recorded, read from
 * the chain merged as kubectl merges it (internal/mergedChain.ts).
 */
import type { Provenance } from "@kubecred/core/Provenance"
import * as DateTime from "effect/DateTime"
import * as path from "node:path"
import { X509Certificate } from "node:crypto"
import { readRegular } from "./internal/regularFile.js"
import type { MergedChain } from "./internal/mergedChain.js"
import { provenanceOf } from "./internal/recorded.js"

export interface ContextStatus {
  readonly name: string
  readonly file: string
  readonly cluster: string
  readonly user: string
  readonly server: string | undefined
  readonly current: boolean
  readonly managed: boolean
  readonly provenance: Provenance | undefined
  /** The client certificate's notAfter; undefined for exec and token users. */
  readonly certificateNotAfter: Date | undefined
  /** What kubecred recorded in the provenance. */
  readonly expiresAt: Date | undefined
  readonly credential: "certificate" | "exec" | "token" | "other"
  /** The context's default namespace. */
  readonly namespace: string | undefined
  /** The user's exec plugin, when it runs one (what `sync` keeps when it updates the context). */
  readonly exec: ExecStanza | undefined
}

export interface ExecStanza {
  readonly command: string
  readonly args: ReadonlyArray<string>
  readonly apiVersion: string
  readonly env?: ReadonlyArray<{ readonly name: string; readonly value: string }>
}

const execOf = (user: Entry | undefined): ExecStanza | undefined => {
  const exec = user?.exec as Entry | undefined | null
  if (exec === undefined || exec === null || typeof exec.command !== "string") return undefined
  const env = Array.isArray(exec.env) ? (exec.env as Array<Entry>) : []
  return {
    command: exec.command,
    args: Array.isArray(exec.args) ? exec.args.map(String) : [],
    apiVersion: String(exec.apiVersion ?? ""),
    ...(env.length > 0 ? { env: env.map((e) => ({ name: String(e?.name), value: String(e?.value) })) } : {})
  }
}

type Entry = Record<string, unknown>

const certificateNotAfter = (user: Entry | undefined, baseDir: string): Date | undefined => {
  try {
    const inline = user?.["client-certificate-data"]
    const pem =
      typeof inline === "string"
        ? Buffer.from(inline, "base64")
        : typeof user?.["client-certificate"] === "string"
          ? readRegular(path.resolve(baseDir, user["client-certificate"] as string), 1024 * 1024)
          : undefined
    if (pem === undefined) return undefined
    return new Date(new X509Certificate(pem).validTo)
  } catch {
    return undefined
  }
}

const credentialOf = (user: Entry | undefined): ContextStatus["credential"] => {
  if (user === undefined) return "other"
  if (user.exec !== undefined && user.exec !== null) return "exec"
  if (user["client-certificate-data"] !== undefined || user["client-certificate"] !== undefined) return "certificate"
  if (user.token !== undefined || user.tokenFile !== undefined) return "token"
  return "other"
}

/** The status of every context of a merged chain, in order. */
export const inspectChain = (merged: MergedChain): ReadonlyArray<ContextStatus> => {
  const byName = (key: string) =>
    new Map(((merged.data[key] ?? []) as Array<Entry>).map((entry) => [entry.name as string, entry] as const))
  const clusters = byName("clusters")
  const users = byName("users")
  const current = merged.data["current-context"]
  return ((merged.data.contexts ?? []) as Array<Entry>).map((entry) => {
    const name = entry.name as string
    const context = (entry.context ?? {}) as Entry
    const clusterName = String(context.cluster ?? "")
    const userName = String(context.user ?? "")
    const cluster = clusters.get(clusterName)?.cluster as Entry | undefined
    const user = users.get(userName)?.user as Entry | undefined
    const file = merged.origin.get(name) ?? ""
    const provenance = provenanceOf(entry)
    const credential = credentialOf(user)
    return {
      name,
      file,
      cluster: clusterName,
      user: userName,
      server: typeof cluster?.server === "string" ? cluster.server : undefined,
      current: current === name,
      managed: provenance !== undefined,
      provenance,
      certificateNotAfter: credential === "certificate" ? certificateNotAfter(user, path.dirname(file)) : undefined,
      expiresAt: provenance?.expiresAt === undefined ? undefined : DateTime.toDate(provenance.expiresAt),
      credential,
      namespace: typeof context.namespace === "string" ? context.namespace : undefined,
      exec: credential === "exec" ? execOf(user) : undefined
    }
  })
}
