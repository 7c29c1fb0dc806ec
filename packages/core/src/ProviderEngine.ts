/**
 * The one provider engine: a provider spec (its credentials, its default region, one fetch attempt, one listing
 * page, all already decided into the taxonomy) turned into the KubeconfigSource service by `make`. The port's
 * meaning is decided here once, for every cloud (docs/decisions.md "One provider engine"):
 *
 * - a fetch request is checked against the core schemas before anything is sent (InvalidInput);
 * - `regions: []` means the provider's default region (InvalidInput when there is none), every region is checked
 *   against the Region schema before anything is sent, duplicates are listed once, four regions at a time;
 * - `clusterIds: []` means no cluster (an empty listing, nothing sent); `clusterIds` and `name` are also applied
 *   to what the server answers, in case a server ignores its filter;
 * - credentials are resolved on first use and kept until shortly before they expire (failures are not kept);
 * - every attempt is paced per provider, key and action, and retried under the RetryPolicy;
 * - one span per call, `kubecred.<provider>.<Action>`, with the same attributes on every cloud;
 * - a listing stops with BoundExceeded after AnswerBounds' page count or total time, or at a repeated page;
 * - provenance (provider, region, cluster, endpoint, fetch time, expiry, identity) is built here.
 */
import type * as Effect from "effect/Effect"
import type * as Option from "effect/Option"
import type { ClusterSummary, ListRequest } from "./ClusterSummary.js"
import type { FetchRequest } from "./FetchRequest.js"
import type {
  AccessDenied,
  AuthenticationFailed,
  CredentialsMissing,
  InvalidInput,
  ProviderError
} from "./KubecredError.js"
import type * as KubeconfigSource from "./KubeconfigSource.js"
import type { ProviderName } from "./Provider.js"
import * as internal from "./internal/engine.js"

/** What the engine needs to know of a provider's credentials: where they came from, when they expire. */
export interface Credentials {
  /** Where the chain found them (`env TENCENTCLOUD_SECRET_ID`, a file path): safe to print. */
  readonly source: string
  /** When temporary credentials stop working; they are resolved again before then. */
  readonly expiresAt?: Date | undefined
}

/** One answer of one attempt, with the provider's request id. */
export interface Answer<A> {
  readonly value: A
  readonly requestId: string | undefined
}

/** A kubeconfig as the API returned it. */
export interface KubeconfigAnswer {
  /** The kubeconfig YAML. */
  readonly kubeconfig: string
  /** ACK's `expiration` (TKE has none; the client certificate's notAfter is used then). */
  readonly expiration?: string | null | undefined
}

/** One page of a listing. */
export interface Page<Cursor> {
  readonly clusters: ReadonlyArray<ClusterSummary>
  /** The cursor of the next page; none after the last one. */
  readonly next: Option.Option<Cursor>
}

export interface PageQuery<Cursor> {
  /** The region listed, or (account-wide) the region whose endpoint serves the listing. */
  readonly region: string
  /** Every region at once (no region filter), for a provider that lists account-wide. */
  readonly accountWide: boolean
  readonly cursor: Cursor
  /** `regions` is the one region being listed; `clusterIds`, when given, is not empty. */
  readonly request: ListRequest
}

/** The fetch request of one provider, as the core schemas decoded it. */
export type FetchRequestOf<P extends ProviderName> = Extract<FetchRequest, { readonly _tag: P }>

export interface ProviderSpec<P extends ProviderName, C extends Credentials, Cursor> {
  readonly provider: P
  /** The transport's name, a span attribute (`http`, `sdk`). */
  readonly transport: string
  /** The provider's two actions, for spans, pacing and error context. */
  readonly actions: { readonly fetch: string; readonly list: string }
  /** The credential chain, walked once per call; the engine caches what it answers. */
  readonly credentials: Effect.Effect<C, CredentialsMissing | InvalidInput | AuthenticationFailed | AccessDenied>
  /**
   * What must hold before credentials are resolved or anything is sent: the transport's own configuration (an
   * endpoint override that is not a URL, an SDK that cannot be loaded). InvalidInput, nothing sent.
   */
  readonly ready: Effect.Effect<void, InvalidInput>
  /** The access key id (never the secret): pacing is per key and action, as the clouds' limits are. */
  readonly keyId: (credentials: C) => string
  /** The region used when a listing names none (the provider's env variable, then its CLI profile). */
  readonly defaultRegion: Effect.Effect<Option.Option<string>>
  /** Said when no region is given and there is no default: which variable and profile were looked at. */
  readonly noRegion: string
  /** One attempt of the fetch action. */
  readonly fetchOnce: (
    request: FetchRequestOf<P>,
    credentials: C
  ) => Effect.Effect<Answer<KubeconfigAnswer>, ProviderError>
  /** The cursor of the first page. */
  readonly firstPage: Cursor
  /** One attempt at one page of the list action in one region. */
  readonly listPage: (query: PageQuery<Cursor>, credentials: C) => Effect.Effect<Answer<Page<Cursor>>, ProviderError>
  /**
   * How `allRegions` and the port's `regions` are answered: `account-wide` lists every region in one listing
   * (sent to `home`'s endpoint; `regions` are those of the account's clusters); `per-region` asks the provider's
   * region operation (one attempt, `once`) and lists each region.
   */
  readonly allRegions:
    | { readonly kind: "account-wide"; readonly home: Effect.Effect<string> }
    | {
        readonly kind: "per-region"
        readonly action: string
        readonly once: (credentials: C) => Effect.Effect<Answer<ReadonlyArray<string>>, ProviderError>
      }
  /**
   * Fills a listed cluster's endpoints when the listing lacks them and the caller asks (`endpoints: true`): one
   * attempt per cluster. A cluster gone or unavailable meanwhile keeps what the listing said.
   */
  readonly endpoints?:
    | {
        readonly action: string
        readonly once: (summary: ClusterSummary, credentials: C) => Effect.Effect<Answer<ClusterSummary>, ProviderError>
      }
    | undefined
}

/** Regions listed at the same time by one listing. */
export const REGION_CONCURRENCY = internal.REGION_CONCURRENCY

/** The KubeconfigSource service of a spec. */
export const make: <P extends ProviderName, C extends Credentials, Cursor>(
  spec: ProviderSpec<P, C, Cursor>
) => Effect.Effect<KubeconfigSource.Service> = internal.make
