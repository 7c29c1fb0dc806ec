import { Clock, Context, Effect, Layer } from "effect"
import type { Provider } from "./provider.js"
import type { FaultRule } from "./types.js"

interface ActiveRule {
  readonly rule: FaultRule
  remaining: number
}

/** What the control endpoint and the MockCloud handle change at run time. */
export interface ControlStateService {
  readonly setFaults: (rules: ReadonlyArray<FaultRule>) => void
  /** The first active rule matching provider and action that fires for this request (its count is consumed). */
  readonly takeFault: (provider: Provider, action: string) => FaultRule | undefined
  readonly setRateLimit: (provider: Provider, perSecond: number) => void
  readonly rateLimit: (provider: Provider) => number
  readonly setCertificateClock: (offsetMs: number) => void
  readonly setClock: (offsetMs: number) => void
  /** The mock's "now" (for timestamps and skew), in ms. */
  readonly now: Effect.Effect<number>
  /** The "now" certificates are issued at, in ms. */
  readonly certificateNow: Effect.Effect<number>
  readonly count: (provider: Provider, action: string) => void
  readonly stats: () => { requests: Record<string, number> }
  readonly acceptedHosts: ReadonlyArray<string>
}

export class ControlState extends Context.Tag("@kubecred/mock-cloud/internal/ControlState")<
  ControlState,
  ControlStateService
>() {}

export interface ControlStateOptions {
  readonly faults?: ReadonlyArray<FaultRule> | undefined
  readonly tencentRateLimit?: number | undefined
  readonly alibabaRateLimit?: number | undefined
  readonly acceptedHosts?: ReadonlyArray<string> | undefined
  readonly clockOffsetMs?: number | undefined
}

export const make = (options: ControlStateOptions = {}): Effect.Effect<ControlStateService> =>
  Effect.sync(() => {
    let rules: Array<ActiveRule> = []
    const limits: Record<Provider, number> = {
      tencent: options.tencentRateLimit ?? 20,
      alibaba: options.alibabaRateLimit ?? 50
    }
    let certificateOffset = 0
    let clockOffset = options.clockOffsetMs ?? 0
    const requests: Record<string, number> = {}

    const setFaults = (next: ReadonlyArray<FaultRule>) => {
      rules = next.map((rule) => ({ rule, remaining: rule.count ?? Number.POSITIVE_INFINITY }))
    }
    setFaults(options.faults ?? [])

    return {
      setFaults,
      takeFault: (provider, action) => {
        for (const active of rules) {
          const { rule } = active
          if (rule.provider !== provider) continue
          if (rule.action !== undefined && rule.action !== action) continue
          if (active.remaining <= 0) continue
          if (rule.rate !== undefined && Math.random() >= rule.rate) continue
          active.remaining--
          return rule
        }
        return undefined
      },
      setRateLimit: (provider, perSecond) => {
        limits[provider] = perSecond
      },
      rateLimit: (provider) => limits[provider],
      setCertificateClock: (offsetMs) => {
        certificateOffset = offsetMs
      },
      setClock: (offsetMs) => {
        clockOffset = offsetMs
      },
      now: Effect.map(Clock.currentTimeMillis, (ms) => ms + clockOffset),
      certificateNow: Effect.map(Clock.currentTimeMillis, (ms) => ms + certificateOffset),
      count: (provider, action) => {
        const key = `${provider}:${action}`
        requests[key] = (requests[key] ?? 0) + 1
      },
      stats: () => ({ requests: { ...requests } }),
      acceptedHosts: options.acceptedHosts ?? []
    }
  })

export const layer = (options: ControlStateOptions = {}): Layer.Layer<ControlState> =>
  Layer.effect(ControlState, make(options))
