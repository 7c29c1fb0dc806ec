export * as ProxyAgents from "./ProxyAgents.js"
