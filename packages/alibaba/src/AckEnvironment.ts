/**
 * Every environment variable kubecred reads for Alibaba Cloud, in one place and with no dependency, so the
 * credential chain, the client's Config, the CLI and the `kubecred credential` fast path name the same ones.
 * The Alibaba names are those of the official credentials provider and the aliyun CLI
 * (docs/contracts/ack.md "Credentials"); the region is `ALIBABA_CLOUD_REGION_ID` only, as the chain and the
 * README say (the CLI once also took `ALICLOUD_REGION`, which nothing else knew).
 */

/** Key pairs in the chain's order: the current names, then the two older `ALICLOUD_*` forms. */
export const keyPairVariables: ReadonlyArray<{ readonly id: string; readonly secret: string; readonly token: string }> =
  [
    {
      id: "ALIBABA_CLOUD_ACCESS_KEY_ID",
      secret: "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
      token: "ALIBABA_CLOUD_SECURITY_TOKEN"
    },
    { id: "ALICLOUD_ACCESS_KEY", secret: "ALICLOUD_SECRET_KEY", token: "ALICLOUD_SECURITY_TOKEN" },
    { id: "ALICLOUD_ACCESS_KEY_ID", secret: "ALICLOUD_ACCESS_KEY_SECRET", token: "ALICLOUD_SECURITY_TOKEN" }
  ]

export const ENV_REGION = "ALIBABA_CLOUD_REGION_ID"
export const ENV_PROFILE = "ALIBABA_CLOUD_PROFILE"
export const ENV_CLI_PROFILE_DISABLED = "ALIBABA_CLOUD_CLI_PROFILE_DISABLED"
export const ENV_CREDENTIALS_FILE = "ALIBABA_CLOUD_CREDENTIALS_FILE"
/** The ECS instance's RAM role. */
export const ENV_ECS_ROLE = "ALIBABA_CLOUD_ECS_METADATA"
export const ENV_ECS_METADATA_DISABLED = "ALIBABA_CLOUD_ECS_METADATA_DISABLED"
export const ENV_IMDSV1_DISABLED = "ALIBABA_CLOUD_IMDSV1_DISABLED"
/** ACK RRSA (OIDC), as @alicloud/credentials' oidc_role_arn provider reads them: the first three, or none. */
export const ENV_OIDC_ROLE_ARN = "ALIBABA_CLOUD_ROLE_ARN"
export const ENV_OIDC_PROVIDER_ARN = "ALIBABA_CLOUD_OIDC_PROVIDER_ARN"
export const ENV_OIDC_TOKEN_FILE = "ALIBABA_CLOUD_OIDC_TOKEN_FILE"
export const ENV_ROLE_SESSION_NAME = "ALIBABA_CLOUD_ROLE_SESSION_NAME"
/** The RRSA variables that must all be set, in the order the messages name them. */
export const oidcVariables: ReadonlyArray<string> = [ENV_OIDC_ROLE_ARN, ENV_OIDC_PROVIDER_ARN, ENV_OIDC_TOKEN_FILE]
/** The STS region (`sts.<region>.aliyuncs.com`) and its VPC endpoint switch, as the official providers read them. */
export const ENV_STS_REGION = "ALIBABA_CLOUD_STS_REGION"
export const ENV_VPC_ENDPOINT_ENABLED = "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"
/** A credentials URI (a sidecar answering STS credentials as JSON), the official default chain's last source. */
export const ENV_CREDENTIALS_URI = "ALIBABA_CLOUD_CREDENTIALS_URI"
/** kubecred's own: where STS calls go instead of https://sts.aliyuncs.com (a mock, a private gateway). */
export const ENV_STS_ENDPOINT = "KUBECRED_ACK_STS_ENDPOINT"
/** kubecred's own: the API endpoint override, the transport, the signature version, the metadata service. */
export const ENV_ENDPOINT = "KUBECRED_ACK_ENDPOINT"
export const ENV_TRANSPORT = "KUBECRED_ACK_TRANSPORT"
export const ENV_SIGNATURE_VERSION = "KUBECRED_ACK_SIGNATURE_VERSION"
export const ENV_METADATA_ENDPOINT = "KUBECRED_ECS_METADATA_ENDPOINT"

/** Variables holding a key id, in the chain's order. */
export const keyIdVariables: ReadonlyArray<string> = keyPairVariables.map((pair) => pair.id)
/** Variables naming the region, in the chain's order. */
export const regionVariables: ReadonlyArray<string> = [ENV_REGION]
/** Variables naming the profile, in the chain's order. */
export const profileVariables: ReadonlyArray<string> = [ENV_PROFILE]

/** Credential files a profile may come from. */
export const profileFiles = (home: string, env: Record<string, string | undefined>): ReadonlyArray<string> => [
  `${home}/.aliyun/config.json`,
  `${home}/.alibabacloud/credentials`,
  ...(env[ENV_CREDENTIALS_FILE] ? [env[ENV_CREDENTIALS_FILE]!] : [])
]
