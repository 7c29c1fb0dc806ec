/**
 * `kubecred add <provider> <cluster-id>`: fetch and merge into the kubeconfig kubectl would use (or
 * --kubeconfig), with an explicit conflict policy, no current-context change on request, a dry-run diff, and
 * --exec to write a user that runs `kubecred credential` instead of embedding the key.
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type { FetchRequest } from "@kubecred/core/FetchRequest"
import { type AddResult, KubeconfigStore } from "@kubecred/kubeconfig/KubeconfigStore"
import { namespaceProblem, proxyUrlProblem } from "@kubecred/kubeconfig/KubeconfigStore"
import { nameProblem } from "@kubecred/kubeconfig/Naming"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { execSpec, primeCache } from "../internal/exec.js"
import { globalOptions } from "../internal/globalFlags.js"
import { optionalOutputOption, printData } from "../internal/outputFormat.js"
import { roleOptions } from "../internal/roleFlags.js"
import * as Providers from "../internal/Providers.js"
import {
  buildRequest,
  clusterIdArg,
  clusterNameOf,
  contextTemplateOption,
  invalid,
  named,
  validateTemplate,
  fetchKubeconfig,
  preflightKubeconfig,
  privateOption,
  providerArg,
  regionOption,
  ttlOption
} from "./shared.js"

/** ACK kubeconfigs behind `--exec` are temporary: 3 hours unless --ttl says otherwise. */
export const EXEC_DEFAULT_TTL_MINUTES = 180

export const onConflictOption = Options.choice("on-conflict", ["overwrite", "rename", "skip", "fail"]).pipe(
  Options.withDefault("fail" as const),
  Options.withDescription(
    "When the name is taken by an entry kubecred did not write for this cluster: fail (default, nothing written), rename the new one, skip, or overwrite it. kubecred's own entry for the same cluster is always updated."
  )
)

/** A text option checked when the command line is parsed: `problem` says why a value is refused (never quoting it). */
const checkedText = (name: string, problem: (value: string) => string | undefined) =>
  Options.text(name).pipe(
    Options.withSchema(
      Schema.String.pipe(
        Schema.filter((value) => problem(value) === undefined, {
          message: (issue) => `--${name} ${problem(String(issue.actual)) ?? "is not valid"}`
        })
      )
    )
  )

export const execOption = Options.boolean("exec").pipe(
  Options.withDescription(
    "Write a user that runs `kubecred credential ...` (a cached, short-lived client certificate) instead of embedding the key."
  )
)

export const command = Command.make(
  "add",
  {
    provider: providerArg,
    clusterId: clusterIdArg,
    region: regionOption,
    private: privateOption,
    ttl: ttlOption,
    context: checkedText("context", nameProblem).pipe(
      Options.optional,
      Options.withDescription("Name for the context, cluster and user (default: {provider}-{region}-{clusterId}).")
    ),
    contextTemplate: contextTemplateOption,
    namespace: checkedText("namespace", namespaceProblem).pipe(
      Options.optional,
      Options.withAlias("n"),
      Options.withDescription("Default namespace of the context.")
    ),
    proxyUrl: checkedText("proxy-url", proxyUrlProblem).pipe(
      Options.optional,
      Options.withDescription(
        "Reach the API server through this proxy (cluster proxy-url, e.g. socks5://bastion:1080)."
      )
    ),
    noSetCurrent: Options.boolean("no-set-current").pipe(
      Options.withDescription("Leave current-context as it is (by default the new context becomes current).")
    ),
    onConflict: onConflictOption,
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Print the diff; write nothing.")),
    exec: execOption,
    output: optionalOutputOption(["json", "yaml", "name"]),
    ...globalOptions,
    ...roleOptions
  },
  (config) =>
    Effect.gen(function* () {
      const request = yield* buildRequest(
        config.provider,
        config.clusterId,
        config,
        config.exec ? EXEC_DEFAULT_TTL_MINUTES : undefined
      )
      const template = yield* validateTemplate(config.contextTemplate)
      yield* preflightKubeconfig(Option.getOrUndefined(config.kubeconfig))
      // the cluster's name (for the provenance, status and {name}) is looked up while the kubeconfig is fetched
      const [fetchedById, name] = yield* Effect.all([fetchKubeconfig(request), clusterNameOf(request)], {
        concurrency: 2
      })
      const fetched = named(fetchedById, name)
      const store = yield* KubeconfigStore
      const exec = config.exec ? yield* execSpec(request, config.ttl) : undefined
      const result = yield* store.add(fetched, {
        kubeconfig: Option.getOrUndefined(config.kubeconfig),
        contextName: Option.getOrUndefined(config.context),
        nameTemplate: template,
        namespace: Option.getOrUndefined(config.namespace),
        proxyUrl: Option.getOrUndefined(config.proxyUrl),
        onConflict: config.onConflict,
        setCurrent: !config.noSetCurrent,
        dryRun: config.dryRun,
        ...(exec ? { exec } : {})
      })
      if (config.exec && !config.dryRun) yield* primeCache(request, fetched)
      yield* report(config.output, config.dryRun, request, result, name)
    })
).pipe(
  Command.withDescription(
    "Fetch a cluster's kubeconfig and merge it into the kubeconfig kubectl uses (locked, atomic, comments kept)."
  ),
  Command.provideEffect(Providers.Providers, (config) =>
    config.exec && config.mock
      ? Effect.fail(
          invalid(
            "exec",
            "--exec with --mock writes a plugin that calls a mock that stops when this command does; run `kubecred mock --ready-file FILE` in another terminal and use --mock-ready FILE instead"
          )
        )
      : Providers.make(config)
  )
)

const report = (
  output: Option.Option<"json" | "yaml" | "name">,
  dryRun: boolean,
  request: FetchRequest,
  result: AddResult,
  clusterName: string | undefined
) => {
  if (Option.isSome(output)) {
    return printData(
      output.value,
      {
        path: result.path,
        context: result.contextName,
        cluster: result.clusterName,
        user: result.userName,
        action: result.action,
        written: result.written,
        currentContext: result.currentContext ?? null,
        provider: request._tag,
        region: request.region,
        clusterId: request.clusterId,
        clusterName: clusterName ?? null,
        endpoint: request.endpoint,
        ...(dryRun ? { diff: result.diff } : {})
      },
      () => [result.contextName]
    )
  }
  if (dryRun) {
    return Console.log(
      result.diff === ""
        ? `no change to ${result.path}`
        : `${result.diff.trimEnd()}\n(dry run: ${result.path} not written)`
    )
  }
  const current = result.currentContext === result.contextName ? `; current context is now "${result.contextName}"` : ""
  return Console.log(`${result.action} context "${result.contextName}" in ${result.path}${current}`)
}
