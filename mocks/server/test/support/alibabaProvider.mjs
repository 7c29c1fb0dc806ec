// Runs one official @alicloud/credentials 2.4.7 provider and prints, as one JSON line, the credentials it got or
// the message it failed with. Started by test/support/sts.ts with NODE_EXTRA_CA_CERTS set to the mock's CA: the
// providers only call the STS over https and take no agent, so this is how a user trusts a private CA too.
//
// argv[2]: {"kind":"ramRoleArn"|"oidc"|"uri", ...builder settings}; the OIDC and URI providers also read env.
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)
const provider = (name) => {
  const module = require(`@alicloud/credentials/dist/src/providers/${name}.js`)
  return module.default ?? module
}
const spec = JSON.parse(process.argv[2])

const build = () => {
  switch (spec.kind) {
    case "ramRoleArn": {
      const base = spec.securityToken
        ? provider("static_sts")
            .builder()
            .withAccessKeyId(spec.accessKeyId)
            .withAccessKeySecret(spec.accessKeySecret)
            .withSecurityToken(spec.securityToken)
            .build()
        : provider("static_ak")
            .builder()
            .withAccessKeyId(spec.accessKeyId)
            .withAccessKeySecret(spec.accessKeySecret)
            .build()
      let builder = provider("ram_role_arn").builder().withCredentialsProvider(base).withRoleArn(spec.roleArn)
      if (spec.roleSessionName) builder = builder.withRoleSessionName(spec.roleSessionName)
      if (spec.durationSeconds) builder = builder.withDurationSeconds(spec.durationSeconds)
      return builder.withStsEndpoint(spec.stsEndpoint).build()
    }
    case "oidc":
      // Role, provider and token file from ALIBABA_CLOUD_ROLE_ARN, ALIBABA_CLOUD_OIDC_PROVIDER_ARN and
      // ALIBABA_CLOUD_OIDC_TOKEN_FILE, as ACK's RRSA sets them in a pod.
      return provider("oidc_role_arn").builder().withStsEndpoint(spec.stsEndpoint).build()
    case "uri":
      // From ALIBABA_CLOUD_CREDENTIALS_URI.
      return new (require("@alicloud/credentials/dist/src/providers/uri.js").URICredentialsProviderBuilder)().build()
    default:
      throw new Error(`unknown provider kind ${spec.kind}`)
  }
}

try {
  const credentials = await build().getCredentials()
  process.stdout.write(
    `${JSON.stringify({
      ok: true,
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken,
      providerName: credentials.providerName
    })}\n`
  )
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, message: String(error?.message ?? error) })}\n`)
}
