/**
 * `--role-arn` and `--role-session-name`: the role the credentials found are exchanged for (STS AssumeRole), on
 * the commands that call the cloud (add, get, list, sync, credential). `add --exec` carries them into the
 * plugin's arguments, and the plugin's cache is keyed by the role.
 */
import * as Options from "@effect/cli/Options"
import type * as Option from "effect/Option"

export const roleOptions = {
  roleArn: Options.text("role-arn").pipe(
    Options.optional,
    Options.withDescription(
      "Assume this role with the credentials found (Tencent qcs::cam::uin/<uin>:roleName/<name>, Alibaba acs:ram::<uid>:role/<name>), as `aws eks update-kubeconfig --role-arn` does."
    )
  ),
  roleSessionName: Options.text("role-session-name").pipe(
    Options.optional,
    Options.withDescription(
      "Session name of the assumed role (default kubecred-<epoch ms>); seen in the cloud's audit log."
    )
  )
}

export interface RoleFlags {
  readonly roleArn: Option.Option<string>
  readonly roleSessionName: Option.Option<string>
}
