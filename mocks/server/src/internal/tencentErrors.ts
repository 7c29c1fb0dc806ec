/** Default messages for TKE error codes (docs/contracts/tke.md "Error codes"), used when a fault rule gives none. */
const messages: Record<string, string> = {
  "AuthFailure.InvalidAuthorization": "The Authorization header is invalid.",
  "AuthFailure.SecretIdNotFound": "The SecretId is not found, please ensure that your SecretId is correct.",
  "AuthFailure.SignatureExpire":
    "Signature expired. Timestamp and server time cannot differ by more than five minutes. Please ensure your current local time matches the standard time.",
  "AuthFailure.SignatureFailure":
    "The provided credentials could not be validated. Please check your signature is correct.",
  "AuthFailure.TokenFailure": "Token verification failed.",
  "AuthFailure.UnauthorizedOperation": "The request is not authorized.",
  InvalidAction: "The requested action does not exist.",
  NoSuchVersion: "The requested version does not exist.",
  MissingParameter: "A required parameter is missing.",
  UnknownParameter: "The parameter is not recognized.",
  InvalidParameter: "The parameter is invalid.",
  "InvalidParameter.Param": "The parameter is invalid.",
  "InvalidParameter.ClusterNotFound": "The cluster ID does not exist.",
  InvalidParameterValue: "The parameter value is invalid.",
  UnsupportedRegion: "The action does not support this region.",
  RequestLimitExceeded:
    "Your current request times exceeds the frequency limit for a second. Please reduce the frequency of calls.",
  "ResourceNotFound.ClusterNotFound": "Cluster not found.",
  "ResourceUnavailable.ClusterInAbnormalStat": "The cluster is in an abnormal state.",
  InternalError: "An internal error occurred.",
  ServiceUnavailable: "The service is unavailable now, please try again later."
}

export const tencentMessage = (code: string): string => messages[code] ?? `${code}.`
