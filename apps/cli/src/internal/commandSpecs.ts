/**
 * The words of kubecred's help, completion and "did you mean": for each command its usage, description,
 * arguments, flags (placeholder, default, choices, what completes them) and examples, plus the global flags.
 * Plain data. Loaded only for help, completion and usage errors, never on the path of a command that runs;
 * test/help.test.ts checks that every flag here is one @effect/cli parses, and the reverse.
 */
import type { CommandName } from "./commandTable.js"

/** What a word completes to: fixed choices, or something looked up when Tab is pressed. */
export type Completes = "provider" | "region" | "context" | "cluster-id" | "file" | "none"

export interface FlagSpec {
  readonly name: string
  readonly alias?: string
  /** The value's placeholder (REGION, DURATION, PATH, URL); absent for a switch. */
  readonly value?: string
  readonly choices?: ReadonlyArray<string>
  readonly default?: string
  readonly repeatable?: boolean
  readonly completes?: Completes
  readonly description: string
}

export interface ArgSpec {
  /** Upper case, as usage lines show it (PROVIDER, CLUSTER_ID). */
  readonly name: string
  readonly optional?: boolean
  readonly repeatable?: boolean
  readonly choices?: ReadonlyArray<string>
  readonly completes?: Completes
  readonly description: string
}

export interface CommandSpec {
  readonly name: CommandName
  readonly aliases?: ReadonlyArray<string>
  /** One short line for the root help. */
  readonly summary: string
  readonly description: string
  readonly args: ReadonlyArray<ArgSpec>
  readonly flags: ReadonlyArray<FlagSpec>
  /** Whether the global flags apply (every command but the built-in verbs). */
  readonly globals: boolean
  /** [what it does, the command line]. */
  readonly examples: ReadonlyArray<readonly [string, string]>
}

export const providerChoices = ["tencent", "tke", "alibaba", "ack"] as const

const provider: ArgSpec = {
  name: "PROVIDER",
  choices: providerChoices,
  completes: "provider",
  description: "tencent (alias tke) or alibaba (alias ack)"
}
const clusterId: ArgSpec = {
  name: "CLUSTER_ID",
  completes: "cluster-id",
  description: "TKE: cls- and 8 letters or digits; ACK: c and 32 letters or digits"
}

const region: FlagSpec = {
  name: "region",
  value: "REGION",
  completes: "region",
  description:
    "Region of the cluster, e.g. ap-guangzhou or cn-hangzhou (default: TENCENTCLOUD_REGION or ALIBABA_CLOUD_REGION_ID, then the CLI profile's region)"
}
const regions: FlagSpec = {
  name: "region",
  value: "REGION",
  repeatable: true,
  completes: "region",
  description: "Region to look in; repeat for several (default: the provider's default region)"
}
const allRegions: FlagSpec = { name: "all-regions", description: "Look in every region the provider offers" }
const privateEndpoint: FlagSpec = {
  name: "private",
  description:
    "Use the cluster's private (VPC) API server address instead of the public one (TKE's own API defaults to private; kubecred does not)"
}
const ttl: FlagSpec = {
  name: "ttl",
  value: "DURATION",
  description:
    "ACK only: a temporary kubeconfig lasting this long, 15m to 3d (90m, 2h, 1h30m, 3d); TKE kubeconfigs have no lifetime"
}
const exec: FlagSpec = {
  name: "exec",
  description:
    "Write a user that runs `kubecred credential` (a cached, short-lived client certificate) instead of embedding the key"
}
const roleArn: FlagSpec = {
  name: "role-arn",
  value: "ARN",
  completes: "none",
  description:
    "Assume this role with the credentials found (Tencent sts:AssumeRole, Alibaba Sts AssumeRole); --exec carries it into the plugin"
}
const roleSessionName: FlagSpec = {
  name: "role-session-name",
  value: "NAME",
  completes: "none",
  description: "Session name of the assumed role, seen in the cloud's audit log (default: kubecred-<epoch ms>)"
}
const dryRun = (what: string): FlagSpec => ({ name: "dry-run", description: what })
const output = (formats: ReadonlyArray<string>, defaultFormat?: string): FlagSpec => ({
  name: "output",
  alias: "o",
  value: "FORMAT",
  choices: formats,
  ...(defaultFormat === undefined ? {} : { default: defaultFormat }),
  description: `Output format: ${formats.join(", ")}${defaultFormat === undefined ? " (default: a line for people)" : ""}`
})
const noHeaders: FlagSpec = { name: "no-headers", description: "Print the table without its header row" }
const contextTemplate: FlagSpec = {
  name: "context-template",
  value: "TEMPLATE",
  completes: "none",
  description:
    "Name contexts from {provider} {region} {id} {name} {endpoint}, e.g. tke-{name} (default {provider}-{region}-{id}); on sync and refresh it also renames kubecred's existing contexts"
}

/** The global flags: accepted by every command, before or after its name. */
export const globalFlags: ReadonlyArray<FlagSpec> = [
  {
    name: "kubeconfig",
    value: "PATH",
    completes: "file",
    description:
      "The kubeconfig file to read and change (default: as kubectl: KUBECONFIG's first existing file, else its last entry, else ~/.kube/config)"
  },
  {
    name: "profile",
    value: "NAME",
    description:
      "Named profile of the provider's CLI (tccli ~/.tccli/NAME.credential; aliyun ~/.aliyun/config.json or ~/.alibabacloud/credentials)"
  },
  {
    name: "api-endpoint",
    value: "URL",
    completes: "none",
    description:
      "Send API calls to this URL instead of the provider's (also KUBECRED_TKE_ENDPOINT, KUBECRED_ACK_ENDPOINT)"
  },
  {
    name: "transport",
    value: "NAME",
    choices: ["http", "sdk"],
    default: "http",
    description: "http: kubecred's own signed requests (fast start); sdk: the official Tencent or Alibaba SDK"
  },
  {
    name: "mock",
    description: "Start the mock cloud in this process and use its demo credentials (it stops when kubecred exits)"
  },
  {
    name: "mock-ready",
    value: "PATH",
    completes: "file",
    description:
      "Use a running mock cloud through its ready file (`kubecred mock --ready-file PATH`; also KUBECRED_MOCK_READY)"
  },
  {
    name: "verbose",
    alias: "v",
    description: "On failure, also print the causes, request ids and attempts (never a secret)"
  }
]

export const helpFlag: FlagSpec = { name: "help", alias: "h", description: "Show help for the command" }

export const commandSpecs: ReadonlyArray<CommandSpec> = [
  {
    name: "get",
    summary: "Print a cluster's kubeconfig; nothing is written",
    description: "Print the kubeconfig the provider hands out for a cluster. Nothing is written.",
    args: [provider, clusterId],
    flags: [region, privateEndpoint, ttl, roleArn, roleSessionName, output(["yaml", "json", "name"], "yaml")],
    globals: true,
    examples: [
      ["Print a TKE cluster's kubeconfig", "kubecred get tke cls-abcd1234 --region ap-guangzhou"],
      ["As JSON, with a 2-hour ACK credential", "kubecred get ack c0123456789abcdef0123456789abcdef --ttl 2h -o json"]
    ]
  },
  {
    name: "add",
    summary: "Fetch a cluster's kubeconfig and merge it into yours",
    description:
      "Fetch a cluster's kubeconfig and merge it into the kubeconfig kubectl uses: locked, atomic, comments kept. The new context becomes current unless --no-set-current.",
    args: [provider, clusterId],
    flags: [
      region,
      privateEndpoint,
      ttl,
      exec,
      roleArn,
      roleSessionName,
      {
        name: "context",
        value: "NAME",
        completes: "context",
        description: "Name of the context, cluster and user (default: PROVIDER-REGION-CLUSTER_ID)"
      },
      contextTemplate,
      {
        name: "namespace",
        alias: "n",
        value: "NAMESPACE",
        completes: "none",
        description: "Default namespace of the context"
      },
      {
        name: "proxy-url",
        value: "URL",
        completes: "none",
        description: "Reach the API server through this proxy (e.g. socks5://bastion:1080)"
      },
      { name: "no-set-current", description: "Leave current-context as it is" },
      {
        name: "on-conflict",
        value: "POLICY",
        choices: ["overwrite", "rename", "skip", "fail"],
        default: "overwrite",
        description: "When the context name exists: overwrite it, rename the new one, skip, or fail"
      },
      dryRun("Print the diff; write nothing"),
      output(["json", "yaml", "name"])
    ],
    globals: true,
    examples: [
      ["Add a TKE cluster and make it the current context", "kubecred add tke cls-abcd1234 --region ap-guangzhou"],
      [
        "Add an ACK cluster with a credential renewed on use",
        "kubecred add ack c0123456789abcdef0123456789abcdef --exec"
      ],
      ["See what would change", "kubecred add tke cls-abcd1234 --dry-run"]
    ]
  },
  {
    name: "list",
    aliases: ["ls"],
    summary: "List clusters with their region, status and endpoints",
    description: "List clusters with id, name, region, status, version and API endpoints, every page of them.",
    args: [{ ...provider, optional: true, description: "tencent|tke or alibaba|ack (default: both)" }],
    flags: [
      regions,
      allRegions,
      roleArn,
      roleSessionName,
      output(["table", "wide", "json", "yaml", "name"], "table"),
      noHeaders
    ],
    globals: true,
    examples: [
      ["List the clusters of both clouds in their default regions", "kubecred list"],
      ["List TKE clusters of two regions", "kubecred ls tke --region ap-guangzhou --region ap-shanghai"],
      ["Cluster ids only, for a script", "kubecred list ack -o name"]
    ]
  },
  {
    name: "sync",
    summary: "Add every matching cluster of some regions at once",
    description:
      "Add every matching cluster of the given regions to the kubeconfig in one locked write, with progress and a summary. --prune removes the contexts of clusters that are gone.",
    args: [provider],
    flags: [
      regions,
      allRegions,
      {
        name: "filter",
        value: "KEY=GLOB",
        repeatable: true,
        completes: "none",
        description: "Only clusters matching name=GLOB, id=GLOB or region=GLOB; repeat to narrow"
      },
      privateEndpoint,
      ttl,
      exec,
      roleArn,
      roleSessionName,
      {
        name: "prune",
        description: "Remove contexts kubecred added for clusters of these regions that no longer exist"
      },
      contextTemplate,
      dryRun("Fetch and print the diff, as add does; write nothing"),
      output(["text", "json"], "text")
    ],
    globals: true,
    examples: [
      ["Add every TKE cluster of a region", "kubecred sync tke --region ap-guangzhou"],
      ["Only the production clusters, and drop the deleted ones", "kubecred sync ack --filter 'name=prod-*' --prune"]
    ]
  },
  {
    name: "status",
    summary: "Show every context and the time left on its credential",
    description:
      "Show every context with provider, region, cluster, endpoint kind, credential kind and the time left on its certificate. Expiring ones stand out.",
    args: [],
    flags: [output(["table", "wide", "json", "yaml", "name"], "table"), noHeaders],
    globals: true,
    examples: [
      ["Show the contexts of the kubeconfig kubectl uses", "kubecred status"],
      ["Of another file, as JSON", "kubecred status --kubeconfig ./ci.kubeconfig -o json"]
    ]
  },
  {
    name: "refresh",
    summary: "Fetch again the credentials that expire soon",
    description:
      "Fetch again every context kubecred added whose embedded credential expires within a while, keeping its name, file and endpoint kind. Contexts written with --exec renew themselves and are left alone.",
    args: [],
    flags: [
      {
        name: "expiring-within",
        value: "DURATION",
        default: "1d",
        completes: "none",
        description: "Refresh what expires within this long (90m, 2h, 1d, 7d)"
      },
      dryRun("List what would be refreshed; fetch nothing"),
      contextTemplate,
      output(["text", "json"], "text")
    ],
    globals: true,
    examples: [
      ["Refresh what expires within a day", "kubecred refresh"],
      ["See what expires within a week", "kubecred refresh --expiring-within 7d --dry-run"]
    ]
  },
  {
    name: "remove",
    aliases: ["rm"],
    summary: "Remove contexts with their users and clusters",
    description:
      "Remove contexts with their users and clusters (when nothing else uses them), by name or by provider and cluster, under the same lock and atomic write as add.",
    args: [{ name: "CONTEXT", optional: true, repeatable: true, completes: "context", description: "Context names" }],
    flags: [
      {
        name: "provider",
        value: "PROVIDER",
        choices: providerChoices,
        description: "Instead of names: every context kubecred added for this provider"
      },
      { name: "cluster-id", value: "CLUSTER_ID", completes: "cluster-id", description: "With --provider: one cluster" },
      { name: "region", value: "REGION", completes: "region", description: "With --provider: one region" },
      dryRun("Show what would go; write nothing"),
      output(["json", "yaml", "name"])
    ],
    globals: true,
    examples: [
      ["Remove one context", "kubecred rm tencent-ap-guangzhou-cls-abcd1234"],
      ["Remove every ACK context kubecred added", "kubecred remove --provider ack"]
    ]
  },
  {
    name: "credential",
    summary: "kubectl exec credential plugin (written by add --exec)",
    description:
      "The kubectl exec credential plugin: print an ExecCredential with a client certificate, cached on disk (0600) and refreshed before it expires. `add --exec` writes it into the kubeconfig; you rarely run it yourself.",
    args: [provider, clusterId],
    flags: [region, privateEndpoint, ttl, roleArn, roleSessionName],
    globals: true,
    examples: [
      [
        "What kubectl runs for a context written by add --exec",
        "kubecred credential tke cls-abcd1234 --region ap-guangzhou"
      ]
    ]
  },
  {
    name: "whoami",
    summary: "Show which credentials each provider's chain picks",
    description:
      "Show which credentials each provider's chain picks (source, profile, masked key id) and check them with one signed call, as `aws sts get-caller-identity` does.",
    args: [{ ...provider, optional: true, description: "tencent|tke or alibaba|ack (default: both)" }],
    flags: [output(["table", "json", "yaml", "name"], "table")],
    globals: true,
    examples: [
      ["Which key and profile each cloud would use", "kubecred whoami"],
      ["For Alibaba Cloud, with a profile, as JSON", "kubecred whoami ack --profile prod -o json"]
    ]
  },
  {
    name: "mock",
    summary: "Run the mock cloud (TKE, ACK) on 127.0.0.1",
    description:
      "Run the mock cloud (TKE, ACK and a kube-apiserver stub) on 127.0.0.1 until interrupted. Other kubecred processes use it through its ready file.",
    args: [],
    flags: [
      {
        name: "port",
        value: "PORT",
        default: "0",
        completes: "none",
        description: "Port to listen on (0: any free one)"
      },
      {
        name: "ready-file",
        value: "PATH",
        completes: "file",
        description: "Write endpoints and demo credentials here (0600) once listening; removed on exit"
      },
      { name: "fixtures", value: "PATH", completes: "file", description: "Clusters to serve (JSON or YAML)" }
    ],
    globals: true,
    examples: [
      ["Run the mock and point kubecred at it", "kubecred mock --ready-file /tmp/mock.json"],
      ["Then, in another shell", "kubecred list --mock-ready /tmp/mock.json"]
    ]
  },
  {
    name: "completion",
    summary: "Print a shell completion script",
    description:
      "Print the completion script for a shell. It completes commands, flags, their choices, providers, regions, context names and the cluster ids of the last listing.",
    args: [
      {
        name: "SHELL",
        choices: ["bash", "zsh", "fish", "powershell"],
        description: "bash, zsh, fish or powershell"
      }
    ],
    flags: [],
    globals: false,
    examples: [
      ["Bash, for this shell", "source <(kubecred completion bash)"],
      ["Zsh, for every shell", "kubecred completion zsh > ~/.zsh/completions/_kubecred"],
      ["Fish", "kubecred completion fish > ~/.config/fish/completions/kubecred.fish"],
      ["PowerShell", "kubecred completion powershell | Out-String | Invoke-Expression"]
    ]
  },
  {
    name: "options",
    summary: "Print the flags every command accepts",
    description: "Print the global flags: every command accepts them, before or after its name.",
    args: [],
    flags: [],
    globals: false,
    examples: [["Print the global flags", "kubecred options"]]
  },
  {
    name: "help",
    summary: "Help about any command",
    description: "Help about any command.",
    args: [{ name: "COMMAND", optional: true, completes: "none", description: "The command to explain" }],
    flags: [],
    globals: false,
    examples: [["Help for add", "kubecred help add"]]
  },
  {
    name: "version",
    summary: "Print the version",
    description: "Print kubecred's version.",
    args: [],
    flags: [],
    globals: false,
    examples: [["Print the version", "kubecred version"]]
  }
]

export const specOf = (name: CommandName): CommandSpec => commandSpecs.find((spec) => spec.name === name)!

/** Every flag a command accepts, global ones included. */
export const flagsOf = (spec: CommandSpec): ReadonlyArray<FlagSpec> =>
  spec.globals ? [...spec.flags, ...globalFlags, helpFlag] : [...spec.flags, helpFlag]
