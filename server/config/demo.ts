/**
 * The embedded emulator's well-known demo service. These are not secrets: they only open the
 * local emulator, and are used when no AUTHLETE_* variable is set.
 */
export const DEMO_EMULATOR_HOST = '127.0.0.1';
export const DEMO_EMULATOR_PORT = 4010;
export const DEMO_SERVICE_ID = '715948317';
export const DEMO_SERVICE_NAME = 'Token Desk Demo Service';
export const DEMO_SERVICE_ACCESS_TOKEN = 'demo-service-access-token-not-a-secret';
