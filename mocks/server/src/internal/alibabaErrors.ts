/** ACK error statuses, messages and body shapes (docs/contracts/ack.md "Envelopes", "Error codes"). */
import { ackRequestId } from "./ids.js"
import { json, type Reply } from "./reply.js"

interface Known {
  readonly status: number
  readonly message: string
}

const known: Record<string, Known> = {
  "InvalidAccessKeyId.NotFound": { status: 404, message: "Specified access key is not found." },
  "InvalidAccessKeyId.Inactive": { status: 400, message: "Specified access key is disabled." },
  "Forbidden.AccessKeyDisabled": { status: 403, message: "The AccessKey is disabled." },
  SignatureDoesNotMatch: { status: 400, message: "Specified signature is not matched with our calculation." },
  IncompleteSignature: { status: 400, message: "The request signature does not conform to Aliyun standards." },
  "InvalidTimeStamp.Expired": {
    status: 400,
    message:
      "Specified time stamp or date value is expired: the request time and server time differ by more than 15 minutes."
  },
  "InvalidTimeStamp.Format": { status: 400, message: "Specified time stamp or date value is not well formatted." },
  SignatureNonceUsed: { status: 400, message: "Specified signature nonce was used already." },
  "InvalidSecurityToken.Expired": { status: 400, message: "Specified SecurityToken is expired." },
  "InvalidSecurityToken.MismatchWithAccessKey": {
    status: 400,
    message: "Specified SecurityToken mismatch with the AccessKey."
  },
  "InvalidSecurityToken.Malformed": { status: 400, message: "Specified SecurityToken is malformed." },
  "Forbidden.RAM": {
    status: 403,
    message: "User not authorized to operate on the specified resource, or this API doesn't support RAM."
  },
  Forbidden: { status: 403, message: "User not authorized to operate on the specified resource." },
  NoPermission: { status: 403, message: "You are not authorized to do this action." },
  Throttling: { status: 400, message: "Request was denied due to request throttling." },
  "Throttling.User": { status: 429, message: "Request was denied due to user flow control." },
  "Throttling.Api": { status: 429, message: "Request was denied due to api flow control." },
  "Throttling.Resource": { status: 429, message: "Request was denied due to resource flow control." },
  ServiceUnavailable: { status: 503, message: "The request has failed due to a temporary failure of the server." },
  InternalError: { status: 500, message: "The request processing has failed due to some unknown error." },
  UnknownError: { status: 500, message: "The request processing has failed due to some unknown error." },
  "InvalidAction.NotFound": { status: 404, message: "Specified api is not found, please check your url and method." },
  InvalidVersion: { status: 400, message: "Specified parameter Version is not valid." },
  ErrorClusterNotFound: { status: 404, message: "The specified cluster does not exist." },
  ErrorCheckAcl: { status: 403, message: "Access denied: check the RAM policy of the caller." },
  ErrorRamPolicyConfig: { status: 403, message: "The RAM policy of the caller is not configured." },
  InvalidParameter: { status: 400, message: "The parameter is invalid." },
  ErrorQueryCluster: { status: 500, message: "Failed to query the cluster." },
  ErrorClusterState: { status: 400, message: "The cluster is not in a state that allows this operation." }
}

/** Codes the POP gateway answers itself, in its PascalCase shape; the rest come from CS in the ROA shape. */
const gateway =
  /^(InvalidAccessKeyId|Forbidden\.AccessKeyDisabled|SignatureDoesNotMatch|IncompleteSignature|InvalidTimeStamp|SignatureNonceUsed|InvalidSecurityToken|Throttling|ServiceUnavailable|InternalError|UnknownError|InvalidAction|InvalidVersion)/

export const alibabaStatus = (code: string): number => known[code]?.status ?? 400

export interface AlibabaErrorInput {
  readonly code: string
  readonly status?: number | undefined
  readonly message?: string | undefined
  readonly retryAfterMs?: number | undefined
  /** An RPC-style product (the STS): every error in the PascalCase shape, with this product's host and name. */
  readonly rpc?: { readonly host: string; readonly product: string } | undefined
}

/** An ACK error reply: 4xx/5xx JSON with code, message, request id, and the x-acs-request-id header. */
export const alibabaError = (input: AlibabaErrorInput): Reply => {
  const id = ackRequestId()
  const status = input.status ?? alibabaStatus(input.code)
  const message = input.message ?? known[input.code]?.message ?? `${input.code}.`
  const headers: Record<string, string> = { "x-acs-request-id": id }
  if (input.retryAfterMs !== undefined)
    headers["x-acs-retry-after"] = String(Math.max(0, Math.ceil(input.retryAfterMs)))
  const body =
    input.rpc !== undefined || gateway.test(input.code)
      ? {
          Code: input.code,
          Message: message,
          RequestId: id,
          HostId: input.rpc?.host ?? "cs.aliyuncs.com",
          Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(input.code)}&product=${input.rpc?.product ?? "CS"}`
        }
      : { code: input.code, message, requestId: id }
  return json(status, body, headers)
}
