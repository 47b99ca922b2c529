/** The e2e stack's OpenID provider: its client and the people it knows (login → claims). */
export const E2E_OIDC = {
  port: Number(process.env.E2E_OIDC_PORT ?? 4210),
  clientId: 'token-desk-e2e',
  clientSecret: 'token-desk-e2e-client-secret-not-a-secret',
  displayName: 'Corp SSO',
};

export const e2eOidcPeople: Record<string, Record<string, unknown>> = {
  'sso-admin': { email: 'sso-admin@corp.test', email_verified: true, name: 'Olga Ops', groups: ['desk-admins'] },
  'sso-support': { email: 'sso-support@corp.test', email_verified: true, name: 'Hal Helpdesk', groups: ['helpdesk'] },
  'sso-sales': { email: 'sso-sales@corp.test', email_verified: true, name: 'Sal Sales', groups: ['sales'] },
};
