export {
  type FaultRule,
  layer,
  make,
  type MockCloud,
  type MockCloudOptions,
  MockCloudServer,
  type ReadyClusterAlibaba,
  type ReadyClusterTencent,
  type ReadyInfo,
  readyInfo,
  type ReadyOidcProvider,
  type ReadyRole,
  start
} from "./MockCloud.js"
export { defaults as defaultFixtures, type Fixtures, FixturesError } from "./Fixtures.js"
export {
  defaults as defaultStsFixtures,
  type OidcProviderFixture,
  type RoleFixture
} from "./StsFixtures.js"
