export * as ProxyAgents from "./ProxyAgents.js"
export * as ProxyHttpClient from "./ProxyHttpClient.js"
export * as DirectRequest from "./DirectRequest.js"
