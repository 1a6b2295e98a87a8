// Roles and locales are shared by the server and the web app.
export const roles = [
  'administrator',
  'trainer',
  'expert',
  'participant',
  'partner_analyst',
  'working_group_member',
] as const;
export type Role = (typeof roles)[number];

export const locales = ['en', 'fr', 'es', 'ar'] as const;
export type Locale = (typeof locales)[number];
