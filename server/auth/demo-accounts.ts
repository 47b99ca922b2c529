import type { Role } from '@/lib/roles';

/**
 * Demo sign-in details, seeded when Token Desk runs against the local emulator (no AUTHLETE_*).
 * Not secrets: they only ever open a demo. Pure module so the demo start script can print them.
 */
export const DEMO_PASSWORD = 'token-desk-demo';

export interface DemoAccount {
  email: string;
  name: string;
  role: Role;
  password: string;
}

export function demoAccounts(): DemoAccount[] {
  return [
    { email: 'admin@demo.local', name: 'Ada Admin', role: 'admin', password: DEMO_PASSWORD },
    { email: 'support@demo.local', name: 'Sam Support', role: 'support', password: DEMO_PASSWORD },
    { email: 'viewer@demo.local', name: 'Vic Viewer', role: 'viewer', password: DEMO_PASSWORD },
  ];
}
