/**
 * The Promise facades (what library users and the GitHub Action call) hand out only the allow-listed parts of a
 * cloud's kubeconfig, like the CLI writes: a hostile answer (an exec plugin, an auth provider, a file path, TLS
 * checks off, a proxy) is refused with MalformedResponse naming the field, never its value.
 */
import * as AckPromise from "@kubecred/alibaba/Promise"
import * as TkePromise from "@kubecred/tencent/Promise"
import * as Redacted from "effect/Redacted"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as YAML from "yaml"
import { type FakeCloud, startFakeCloud } from "./fixtures/fakeCloud.js"
import { ACK, answer, CLIENT_KEY_DATA, TKE } from "./fixtures/hostile.js"

let fake: FakeCloud
beforeAll(async () => {
  fake = await startFakeCloud()
})
afterAll(async () => {
  await Promise.all([TkePromise.dispose(), AckPromise.dispose()])
  await fake?.close()
})

const isolated = {
  env: {},
  home: "/nonexistent-kubecred-test-home",
  systemCredentials: "/nonexistent-kubecred-test-etc/credentials"
} as const

const fetchers = {
  tencent: () =>
    TkePromise.fetchKubeconfig({
      ...isolated,
      clusterId: TKE.id,
      region: TKE.region,
      apiEndpoint: fake.endpoint,
      credentials: { secretId: "AKIDfacade", secretKey: Redacted.make("facade-secret") }
    }),
  alibaba: () =>
    AckPromise.fetchKubeconfig({
      ...isolated,
      clusterId: ACK.id,
      region: ACK.region,
      apiEndpoint: fake.endpoint,
      credentials: { accessKeyId: "LTAIfacade", accessKeySecret: Redacted.make("facade-secret") }
    })
} as const

const planted = "/tmp/kubecred-planted-value"
const hostile = [
  {
    name: "an exec plugin",
    parts: { user: `    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${planted}` },
    field: 'user."exec"'
  },
  {
    name: "an auth provider",
    parts: { user: `    auth-provider:\n      name: ${planted}` },
    field: 'user."auth-provider"'
  },
  { name: "a key file", parts: { user: `    client-key: ${planted}` }, field: 'user."client-key"' },
  {
    name: "TLS checks off",
    parts: { cluster: "    insecure-skip-tls-verify: true" },
    field: 'cluster."insecure-skip-tls-verify"'
  },
  { name: "a proxy", parts: { cluster: `    proxy-url: http://${planted.slice(1)}` }, field: 'cluster."proxy-url"' },
  { name: "a plain-http server", parts: { server: "http://10.0.0.1:80" }, field: 'cluster."server"' }
] as const

describe.each(["tencent", "alibaba"] as const)("the %s Promise facade", (provider) => {
  it("hands out the answer's context, cluster and user with the allowed fields only", async () => {
    fake.kubeconfig = answer({ top: "preferences:\n  colors: true", context: "    namespace: team-a" })
    const result = await fetchers[provider]()
    const config = YAML.parse(result.kubeconfig)
    expect(config).toEqual({
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name: "c1", cluster: { server: "https://10.0.0.1:443", "certificate-authority-data": expect.any(String) } }
      ],
      users: [
        { name: "u1", user: { "client-certificate-data": expect.any(String), "client-key-data": CLIENT_KEY_DATA } }
      ],
      contexts: [{ name: "ctx", context: { cluster: "c1", user: "u1", namespace: "team-a" } }],
      "current-context": "ctx"
    })
  })

  for (const { name, parts, field } of hostile) {
    it(`refuses an answer with ${name}, naming the field and not its value`, async () => {
      fake.kubeconfig = answer(parts)
      const error = await fetchers[provider]().then(
        () => undefined,
        (e: unknown) => e as { _tag: string; message: string }
      )
      expect(error?._tag).toBe("MalformedResponse")
      expect(error?.message).toContain(`refused the kubeconfig in the answer: ${field}`)
      expect(error?.message).not.toContain("planted")
    })
  }
})
