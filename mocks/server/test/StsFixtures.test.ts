/** Roles, trust policies and OIDC providers from fixtures: they replace the built-in ones per cloud, and are validated. */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { type Fixtures, make } from "../src/index.js"
import * as Clients from "./support/clients.js"
import { tencentSts } from "./support/sts.js"

const fixtures: Fixtures = {
  tencent: {
    clusters: [{ region: "ap-guangzhou", name: "one", status: "Running" }],
    roles: [
      {
        name: "deployer",
        maxSessionDurationSeconds: 1800,
        trust: { principals: ["key"], oidcProviders: ["gitlab"] }
      }
    ],
    oidcProviders: [{ name: "gitlab", audiences: ["https://gitlab.example"] }]
  },
  alibaba: { clusters: [] }
}

describe("STS fixtures", () => {
  it.scoped("a fixtures file's roles and providers replace the built-in ones of that cloud only", () =>
    Effect.gen(function* () {
      const cloud = yield* make({ fixtures })
      expect(cloud.tencent.roles.map((r) => r.name)).toEqual(["deployer"])
      expect(cloud.tencent.roles[0]).toMatchObject({ maxSessionDurationSeconds: 1800, principals: ["key"] })
      expect(cloud.tencent.oidcProviders).toEqual([
        { name: "gitlab", id: "gitlab", issuer: cloud.oidc.issuer, audiences: ["https://gitlab.example"] }
      ])
      expect(cloud.alibaba.roles[0]!.name).toBe("kubecred-mock-role")
      const key = { secretId: cloud.tencent.secretId, secretKey: cloud.tencent.secretKey }
      const assume = (DurationSeconds: number) =>
        Effect.promise(() =>
          tencentSts(cloud, key)
            .request("AssumeRole", { RoleArn: cloud.tencent.roles[0]!.arn, RoleSessionName: "ci", DurationSeconds })
            .then(
              (r) => r.Credentials.TmpSecretId as string,
              (e) => (e as { code: string }).code
            )
        )
      expect(yield* assume(1800)).toMatch(/^AKID/)
      expect(yield* assume(1801)).toBe("InvalidParameter.OverTimeError")
      const token = yield* Effect.promise(() =>
        cloud.mintOidcToken({ audience: "https://gitlab.example", subject: "project_path:group/app" })
      )
      const accepted = yield* Effect.promise(() =>
        tencentSts(cloud).request(
          "AssumeRoleWithWebIdentity",
          {
            ProviderId: "gitlab",
            WebIdentityToken: token,
            RoleArn: cloud.tencent.roles[0]!.arn,
            RoleSessionName: "ci"
          },
          { skipSign: true }
        )
      )
      expect(accepted.Credentials.TmpSecretId).toMatch(/^AKID/)
      const kubeconfig = yield* Effect.promise(() =>
        Clients.tencent(cloud, {
          secretId: accepted.Credentials.TmpSecretId,
          secretKey: accepted.Credentials.TmpSecretKey,
          token: accepted.Credentials.Token
        }).DescribeClusterKubeconfig({ ClusterId: cloud.tencent.clusters[0]!.clusterId, IsExtranet: true })
      )
      expect(kubeconfig.Kubeconfig).toContain("client-certificate-data")
    })
  )

  it.effect("invalid roles and providers fail the start with the fixture error", () =>
    Effect.gen(function* () {
      for (const bad of [
        { roles: [{ name: "a/b", trust: {} }] },
        { roles: [{ name: "short", maxSessionDurationSeconds: 60, trust: {} }] },
        { roles: [{ name: "x", trust: { principals: ["anyone"] } }] },
        { oidcProviders: [{ name: "p", audiences: [] }] }
      ]) {
        const exit = yield* make({ fixtures: { tencent: { clusters: [], ...bad } } as never }).pipe(
          Effect.scoped,
          Effect.exit
        )
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) expect(String(exit.cause)).toContain("mock cloud failed to start")
      }
    })
  )
})
