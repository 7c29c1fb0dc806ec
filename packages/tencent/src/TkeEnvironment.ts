/**
 * Every environment variable kubecred reads for Tencent Cloud, in one place and with no dependency, so the
 * credential chain, the client's Config, the CLI and the `kubecred credential` fast path name the same ones.
 * The Tencent names are the official SDK's and tccli's (docs/contracts/tke.md "Credentials").
 */

export const ENV_SECRET_ID = "TENCENTCLOUD_SECRET_ID"
export const ENV_SECRET_KEY = "TENCENTCLOUD_SECRET_KEY"
export const ENV_SESSION_TOKEN = "TENCENTCLOUD_SESSION_TOKEN"
/** The CVM instance's CAM role (the Terraform provider's variable). */
export const ENV_CAM_ROLE = "TENCENTCLOUD_CAM_ROLE_NAME"
export const ENV_REGION = "TENCENTCLOUD_REGION"
/** The tccli profile. */
export const ENV_PROFILE = "TCCLI_PROFILE"
/** TKE pod identity (OIDC), as the SDK's OIDCRoleArnCredential reads them: all four, or none. */
export const ENV_OIDC_ROLE_ARN = "TKE_ROLE_ARN"
export const ENV_OIDC_PROVIDER_ID = "TKE_PROVIDER_ID"
export const ENV_OIDC_TOKEN_FILE = "TKE_WEB_IDENTITY_TOKEN_FILE"
export const ENV_OIDC_REGION = "TKE_REGION"
/** The pod identity variables, in the order the messages name them. */
export const oidcVariables: ReadonlyArray<string> = [
  ENV_OIDC_ROLE_ARN,
  ENV_OIDC_PROVIDER_ID,
  ENV_OIDC_TOKEN_FILE,
  ENV_OIDC_REGION
]
/** kubecred's own: where STS calls go instead of https://sts.tencentcloudapi.com (a mock, a private gateway). */
export const ENV_STS_ENDPOINT = "KUBECRED_TKE_STS_ENDPOINT"
/** kubecred's own: the API endpoint override, the transport, the metadata service override. */
export const ENV_ENDPOINT = "KUBECRED_TKE_ENDPOINT"
export const ENV_TRANSPORT = "KUBECRED_TKE_TRANSPORT"
export const ENV_METADATA_ENDPOINT = "KUBECRED_CVM_METADATA_ENDPOINT"

/** Variables holding a key id, in the chain's order. */
export const keyIdVariables: ReadonlyArray<string> = [ENV_SECRET_ID]
/** Variables naming the region, in the chain's order. */
export const regionVariables: ReadonlyArray<string> = [ENV_REGION]
/** Variables naming the profile, in the chain's order. */
export const profileVariables: ReadonlyArray<string> = [ENV_PROFILE]

/** Credential files a profile may come from, relative to the home directory, then absolute. */
export const profileFiles = (home: string, profile: string): ReadonlyArray<string> => [
  `${home}/.tencentcloud/credentials`,
  "/etc/tencentcloud/credentials",
  `${home}/.tccli/${profile}.credential`
]
