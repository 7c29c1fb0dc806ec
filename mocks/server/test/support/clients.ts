/** The official SDKs, pointed at a running mock: the oracle. */
import * as CsModule from "@alicloud/cs20151215"
import * as OpenApi from "@alicloud/openapi-core"
import * as Dara from "@darabonba/typescript"
import * as tencentcloud from "tencentcloud-sdk-nodejs-tke"
import type { ReadyInfo } from "../../src/index.js"

const TkeClient = tencentcloud.tke.v20180525.Client
export type TkeClient = InstanceType<typeof TkeClient>

const CsClient: typeof CsModule.default =
  (CsModule as unknown as { default: { default?: typeof CsModule.default } }).default.default ?? CsModule.default
export type CsClient = InstanceType<typeof CsModule.default>
export const Cs = CsModule

export interface TencentOptions {
  readonly method?: "POST" | "GET"
  readonly sts?: boolean
  readonly language?: "zh-CN" | "en-US"
  readonly region?: string
  /** Override the signing secret (wrong-secret tests). */
  readonly secretKey?: string
  readonly secretId?: string
  readonly token?: string
  /** host:port to send to instead of the mock (a proxy in front). */
  readonly endpoint?: string
  readonly timeoutSeconds?: number
}

export const tencent = (ready: ReadyInfo, options: TencentOptions = {}): TkeClient => {
  const base = options.sts ? ready.tencent.sts : { ...ready.tencent, token: undefined }
  const credential: { secretId: string; secretKey: string; token?: string } = {
    secretId: options.secretId ?? base.secretId,
    secretKey: options.secretKey ?? base.secretKey
  }
  const token = options.token ?? base.token
  if (token !== undefined) credential.token = token
  return new TkeClient({
    credential,
    region: options.region ?? "ap-guangzhou",
    profile: {
      ...(options.language ? { language: options.language } : {}),
      httpProfile: {
        endpoint: options.endpoint ?? new URL(ready.tencent.endpoint).host,
        protocol: "http://",
        reqMethod: options.method ?? "POST",
        reqTimeout: options.timeoutSeconds ?? 10
      }
    }
  })
}

export interface AlibabaOptions {
  readonly sts?: boolean
  readonly v2?: boolean
  readonly accessKeySecret?: string
  readonly accessKeyId?: string
  readonly securityToken?: string
  readonly endpoint?: string
  readonly headers?: Record<string, string>
  readonly timeoutMs?: number
}

export const alibaba = (ready: ReadyInfo, options: AlibabaOptions = {}): CsClient => {
  const base = options.sts ? ready.alibaba.sts : { ...ready.alibaba, securityToken: undefined }
  const token = options.securityToken ?? base.securityToken
  return new CsClient(
    new OpenApi.$OpenApiUtil.Config({
      accessKeyId: options.accessKeyId ?? base.accessKeyId,
      accessKeySecret: options.accessKeySecret ?? base.accessKeySecret,
      ...(token !== undefined ? { securityToken: token } : {}),
      endpoint: options.endpoint ?? new URL(ready.alibaba.endpoint).host,
      protocol: "http",
      regionId: "cn-hangzhou",
      readTimeout: options.timeoutMs ?? 10_000,
      connectTimeout: options.timeoutMs ?? 10_000,
      ...(options.v2 ? { signatureAlgorithm: "v2" } : {}),
      ...(options.headers
        ? { globalParameters: new OpenApi.$OpenApiUtil.GlobalParameters({ headers: options.headers }) }
        : {})
    })
  )
}

export const runtime = () => new Dara.RuntimeOptions({})

/** The Alibaba SDK's exception classes. */
export const { ClientError, ServerError, ThrottlingError } = OpenApi as unknown as {
  ClientError: new (...args: Array<any>) => Error & { code: string; statusCode: number; requestId: string }
  ServerError: new (...args: Array<any>) => Error & { code: string; statusCode: number; requestId: string }
  ThrottlingError: new (
    ...args: Array<any>
  ) => Error & {
    code: string
    statusCode: number
    requestId: string
    retryAfter?: number
  }
}

/** The Tencent SDK's exception class (not re-exported from the package root). */
export { default as TencentCloudSDKHttpException } from "tencentcloud-sdk-nodejs-common/tencentcloud/common/exception/tencent_cloud_sdk_exception.js"

/** Runs `call` and returns what it threw (fails the test if it did not throw). */
export const thrown = async (call: () => Promise<unknown>): Promise<any> => {
  try {
    await call()
  } catch (error) {
    return error
  }
  throw new Error("expected the call to throw")
}
