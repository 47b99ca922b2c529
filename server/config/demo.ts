/**
 * The embedded emulator's well-known demo service. These are not secrets: they only open the
 * local emulator, and are used when no AUTHLETE_* variable is set.
 */
export const DEMO_EMULATOR_HOST = '127.0.0.1';
export const DEMO_EMULATOR_PORT = 4010;
export const DEMO_SERVICE_ID = '715948317';
export const DEMO_SERVICE_NAME = 'Token Desk Demo Service';
export const DEMO_SERVICE_ACCESS_TOKEN = 'demo-service-access-token-not-a-secret';
/** The demo's staging service (3.x), beside the demo service that plays production. */
export const STAGING_SERVICE_ID = '715948400';
export const STAGING_SERVICE_ACCESS_TOKEN = 'staging-service-access-token-not-a-secret';
/** The demo's Authlete 2.x service: HTTP Basic with this API key (= its service id) and secret. */
export const LEGACY_SERVICE_API_KEY = '5593494639';
export const LEGACY_SERVICE_API_SECRET = 'legacy-service-api-secret-not-a-secret';
