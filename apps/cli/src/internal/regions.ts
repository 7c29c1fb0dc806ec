/**
 * Regions for --all-regions: both listings are per region, so kubecred asks each of these in turn
 * (paced under the provider's rate limit).
 */
import type { ProviderName } from "@kubecred/core/Provider"

export const tkeRegions: ReadonlyArray<string> = [
  "ap-guangzhou",
  "ap-shanghai",
  "ap-nanjing",
  "ap-beijing",
  "ap-chengdu",
  "ap-chongqing",
  "ap-hongkong",
  "ap-singapore",
  "ap-jakarta",
  "ap-seoul",
  "ap-tokyo",
  "ap-bangkok",
  "ap-mumbai",
  "na-siliconvalley",
  "na-ashburn",
  "eu-frankfurt",
  "sa-saopaulo",
  "ap-shanghai-fsi",
  "ap-shenzhen-fsi",
  "ap-beijing-fsi"
]

export const ackRegions: ReadonlyArray<string> = [
  "cn-hangzhou",
  "cn-shanghai",
  "cn-beijing",
  "cn-shenzhen",
  "cn-qingdao",
  "cn-zhangjiakou",
  "cn-huhehaote",
  "cn-wulanchabu",
  "cn-chengdu",
  "cn-heyuan",
  "cn-guangzhou",
  "cn-hongkong",
  "ap-southeast-1",
  "ap-southeast-3",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ap-northeast-1",
  "ap-northeast-2",
  "us-west-1",
  "us-east-1",
  "eu-central-1",
  "eu-west-1",
  "me-east-1",
  "me-central-1"
]

export const allRegions = (provider: ProviderName): ReadonlyArray<string> =>
  provider === "tencent" ? tkeRegions : ackRegions
