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
  /** A client-scoped grant in the default service (ids and names); absent = all clients. */
  clients?: Array<{ clientId: string; name: string }>;
}

export function demoAccounts(): DemoAccount[] {
  return [
    { email: 'admin@demo.local', name: 'Ada Admin', role: 'admin', password: DEMO_PASSWORD },
    { email: 'lead@demo.local', name: 'Lee Lead', role: 'lead', password: DEMO_PASSWORD },
    { email: 'support@demo.local', name: 'Sam Support', role: 'support', password: DEMO_PASSWORD },
    { email: 'viewer@demo.local', name: 'Vic Viewer', role: 'viewer', password: DEMO_PASSWORD },
    {
      email: 'desk@demo.local',
      name: 'Dee Desk',
      role: 'support',
      password: DEMO_PASSWORD,
      // A support desk that looks after two apps only (clients of the emulator's demo service).
      clients: [
        { clientId: '26888344961664', name: 'Web Banking' },
        { clientId: '3221225473', name: 'Smart TV App' },
      ],
    },
  ];
}
