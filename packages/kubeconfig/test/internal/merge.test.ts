import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as YAML from "yaml"
import type { KubeconfigError } from "@kubecred/core/KubecredError"
import { type AddOptions, addToText, removeFromText, type RemoveSelector } from "../../src/internal/merge.js"
import { CLIENT_KEY_DATA } from "../fixtures/certs.js"
import { FOREIGN, type FetchedSpec, fetchedKubeconfig } from "../fixtures/fetched.js"

const add = (text: string, spec: FetchedSpec = {}, options: AddOptions = {}) => {
  const outcome = addToText("/k/config", text, fetchedKubeconfig(spec), options)
  if (Either.isLeft(outcome)) throw outcome.left
  return outcome.right
}
const addError = (text: string, spec: FetchedSpec = {}, options: AddOptions = {}): KubeconfigError => {
  const outcome = addToText("/k/config", text, fetchedKubeconfig(spec), options)
  if (Either.isRight(outcome)) throw new Error("expected a failure")
  return outcome.left
}
const remove = (text: string, selector: RemoveSelector) => {
  const outcome = removeFromText("/k/config", text, selector)
  if (Either.isLeft(outcome)) throw outcome.left
  return outcome.right
}
const names = (text: string, list: string): Array<string> =>
  ((YAML.parse(text)?.[list] ?? []) as Array<{ name: string }>).map((entry) => entry.name)

const NAME = "tencent-ap-guangzhou-cls-a1b2c3d4"

describe("Merge", () => {
  it("add then remove restores a commented file with three foreign contexts byte for byte", () => {
    const added = add(FOREIGN)
    expect(added.result.action).toBe("added")
    expect(names(added.text, "contexts")).toEqual(["prod", "staging", "kind-dev", NAME])
    expect(YAML.parse(added.text)["current-context"]).toBe(NAME)
    expect(added.text).toContain("# production first")
    expect(added.text).toContain("current-context: tencent-ap-guangzhou-cls-a1b2c3d4   # what I use most")
    const removed = remove(added.text, { contexts: [NAME] })
    expect(removed.result.removed).toEqual([NAME])
    expect(removed.text).toBe(FOREIGN)
  })

  it("restores lists that were absent, null, [] or empty, and a missing current-context", () => {
    const variants = [
      "apiVersion: v1\nkind: Config\n",
      "apiVersion: v1\nkind: Config",
      'apiVersion: v1\nclusters: null\ncontexts: []\ncurrent-context: ""\nkind: Config\nusers: # none yet\n',
      "kind: Config\nusers: ~   # nobody\nclusters:\ncontexts: [ ]\npreferences: {}\n",
      "apiVersion: v1\r\nkind: Config\r\nusers: null\r\n"
    ]
    for (const original of variants) {
      const added = add(original)
      expect(names(added.text, "users")).toEqual([NAME])
      expect(remove(added.text, { provider: "tencent" }).text).toBe(original)
    }
  })

  it("adding twice is unchanged the second time; a newer fetch of the same cluster is an update", () => {
    const first = add(FOREIGN).text
    const again = add(first)
    expect(again.result.action).toBe("unchanged")
    expect(again.changed).toBe(false)
    const later = add(first, {
      fetchedAt: "2026-02-01T00:00:00.000Z",
      keyData: Buffer.from("new key").toString("base64")
    })
    expect(later.result.action).toBe("updated")
    expect(names(later.text, "users").filter((name) => name === NAME)).toHaveLength(1)
  })

  it("a foreign entry of the same name is a conflict: overwrite, rename, skip or fail", () => {
    const foreign = "apiVersion: v1\nkind: Config\ncontexts:\n- name: mine\n  context: {cluster: theirs, user: them}\n"
    expect(add(foreign, {}, { contextName: "mine", onConflict: "skip" }).result.action).toBe("skipped")
    // the default, and `fail`, refuse: nothing of someone else's is changed unless asked
    expect(addError(foreign, {}, { contextName: "mine", onConflict: "fail" })._tag).toBe("KubeconfigConflict")
    expect(addError(foreign, {}, { contextName: "mine" })).toMatchObject({
      _tag: "KubeconfigConflict",
      name: "mine",
      detail: 'context "mine" exists and kubecred did not write it'
    })
    const renamed = add(foreign, {}, { contextName: "mine", onConflict: "rename" })
    expect(renamed.result).toMatchObject({ action: "renamed", contextName: "mine-2" })
    expect(names(renamed.text, "contexts")).toEqual(["mine", "mine-2"])
    // the same cluster fetched again finds its renamed entry, not a third name
    const again = add(
      renamed.text,
      { fetchedAt: "2026-03-01T00:00:00.000Z" },
      { contextName: "mine", onConflict: "rename" }
    )
    expect(again.result.contextName).toBe("mine-2")
    const overwritten = add(foreign, {}, { contextName: "mine", onConflict: "overwrite" })
    expect(overwritten.result.action).toBe("updated")
    expect(names(overwritten.text, "contexts")).toEqual(["mine"])
  })

  it("names from the template, -private for private endpoints, explicit names", () => {
    expect(add("", { endpoint: "private" }).result.contextName).toBe(`${NAME}-private`)
    expect(add("", {}, { nameTemplate: "{provider}/{clusterId}@{endpoint}" }).result.contextName).toBe(
      "tencent/cls-a1b2c3d4@public"
    )
    expect(addError("", {}, { nameTemplate: "{cloud}-{clusterId}" })._tag).toBe("InvalidInput")
  })

  it("writes an exec user, proxy-url and namespace; provenance says exec", () => {
    const added = add(
      "",
      {},
      {
        exec: {
          command: "kubecred",
          args: ["credential", "--cluster", "cls-a1b2c3d4"],
          apiVersion: "client.authentication.k8s.io/v1"
        },
        proxyUrl: "socks5://127.0.0.1:1080",
        namespace: "apps"
      }
    )
    const doc = YAML.parse(added.text)
    expect(doc.users[0].user).toEqual({
      exec: {
        apiVersion: "client.authentication.k8s.io/v1",
        command: "kubecred",
        args: ["credential", "--cluster", "cls-a1b2c3d4"],
        interactiveMode: "Never",
        provideClusterInfo: false
      }
    })
    expect(doc.clusters[0].cluster["proxy-url"]).toBe("socks5://127.0.0.1:1080")
    expect(doc.contexts[0].context.namespace).toBe("apps")
    expect(doc.contexts[0].context.extensions[0].extension.credential).toBe("exec")
  })

  it("leaves current-context alone when asked", () => {
    const added = add(FOREIGN, {}, { setCurrent: false })
    expect(YAML.parse(added.text)["current-context"]).toBe("staging")
    expect(added.result.currentContext).toBe("staging")
  })

  it("never shows key material in the diff", () => {
    const added = add(FOREIGN, {}, { dryRun: true })
    expect(added.result.diff).toContain("+      client-key-data: <redacted>")
    expect(added.result.diff).toContain(" +++ ".trim())
    expect(added.result.diff).not.toContain(CLIENT_KEY_DATA)
    expect(added.result.diff).not.toContain("hunter2")
    // the same change made for real: the text it writes, no diff computed for nobody to read
    const written = add(FOREIGN)
    expect(written.text).toBe(added.text)
    expect(written.result.diff).toBe("")
  })

  it("an unparsable file or one that is not a kubeconfig fails with its line and column", () => {
    const broken = addError("apiVersion: v1\nclusters:\n- name: a\n   cluster: [\n")
    expect(broken).toMatchObject({ _tag: "KubeconfigUnreadable", path: "/k/config", line: 3, column: 9 })
    const shape = addError("apiVersion: v1\nclusters:\n- name: a\n  cluster:\n    server: 42\n")
    expect(shape).toMatchObject({ _tag: "KubeconfigUnreadable", line: 5, column: 13 })
    expect(addError("- just\n- a list\n")._tag).toBe("KubeconfigUnreadable")
    expect(addError("a: 1\n---\nb: 2\n")._tag).toBe("KubeconfigUnreadable")
  })

  it("edits a JSON kubeconfig by rendering it again", () => {
    const json = JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "j", cluster: { server: "https://j" } }]
    })
    const added = add(json)
    expect(names(added.text, "clusters")).toEqual(["j", NAME])
  })

  it("removes every context kubecred manages for a provider, with their users and clusters, not shared ones", () => {
    let text = add(FOREIGN).text
    text = add(text, { clusterId: "cls-other" }).text
    text = add(text, {
      provider: "alibaba",
      clusterId: "c0123456789abcdef0123456789abcdef",
      region: "cn-hangzhou"
    }).text
    const removed = remove(text, { provider: "tencent" })
    expect(removed.result.removed).toHaveLength(2)
    expect(names(removed.text, "contexts")).toEqual([
      "prod",
      "staging",
      "kind-dev",
      "alibaba-cn-hangzhou-c0123456789abcdef0123456789abcdef"
    ])
    expect(names(removed.text, "users")).toEqual([
      "alice",
      "kind",
      "alibaba-cn-hangzhou-c0123456789abcdef0123456789abcdef"
    ])
    // removing a foreign context keeps the user another context still uses
    const foreign = remove(FOREIGN, { contexts: ["prod"] })
    expect(names(foreign.text, "users")).toEqual(["alice", "kind"])
    expect(names(foreign.text, "clusters")).toEqual(["staging", "kind-dev"])
  })
})
