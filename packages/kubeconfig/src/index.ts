export * as Inspect from "./Inspect.js"
export * as KubeconfigPaths from "./KubeconfigPaths.js"
export * as KubeconfigStore from "./KubeconfigStore.js"
export * as Naming from "./Naming.js"
