/**
 * Where web modules plug into the app: one line per page, one line per menu
 * entry. Pages load on demand (their own chunk). A `permission` hides the menu
 * entry and guards the route (users without it see "no access").
 *
 * Adding a page:  { path: '/admin/users/:id', permission: 'users.manage', page: () => import('../modules/users/UserPage.tsx') },
 * Adding a menu entry:  { section: 'admin', to: '/admin/users', label: 'users.nav', icon: IconUsers, permission: 'users.manage' },
 *
 * A page module default-exports its component. Every route here is inside the
 * signed-in shell; public pages (sign-in, password reset) are in router.tsx.
 */
import type { ComponentType } from 'react';
import { IconBooks, IconBuildingCommunity, IconHeartHandshake, IconLicense, IconDoorEnter, IconHome2, IconListSearch, IconShieldLock, IconShare, IconTargetArrow, IconTools, IconUsers, type Icon } from '@tabler/icons-react';
import type { MessageId } from '../i18n/message-ids.ts';
import type { Permission } from '../core/session.ts';

export type AppRoute = {
  /** react-router path, e.g. `/admin/users/:id` (optional segments: `:tab?`). */
  path: string;
  page: () => Promise<{ default: ComponentType }>;
  permission?: Permission;
};

export type NavSectionId = 'main' | 'admin';

export type NavEntry = {
  section: NavSectionId;
  to: string;
  label: MessageId;
  icon: Icon;
  permission?: Permission;
  /** Active only on this exact path (not its sub-paths). */
  end?: boolean;
};

export const navSections: { id: NavSectionId; label?: MessageId }[] = [
  { id: 'main' },
  { id: 'admin', label: 'common.nav.administration' },
];

export const routes: AppRoute[] = [
  { path: '/', page: () => import('../modules/home/HomePage.tsx') },
  { path: '/profile/:tab?', page: () => import('../modules/profile/ProfilePage.tsx') },
  { path: '/admin/users', permission: 'users.read', page: () => import('../modules/users/UsersPage.tsx') },
  { path: '/admin/organisations', permission: 'organisations.read', page: () => import('../modules/organisations/OrganisationsPage.tsx') },
  { path: '/admin/audit', permission: 'audit.read', page: () => import('../modules/audit/AuditPage.tsx') },
  { path: '/admin/security', permission: 'security.manage', page: () => import('../modules/security/SecurityPage.tsx') },
  { path: '/scenarios', permission: 'scenarios.read', page: () => import('../modules/scenarios/ScenariosPage.tsx') },
  { path: '/scenarios/:id', permission: 'scenarios.read', page: () => import('../modules/scenarios/ScenarioPage.tsx') },
  { path: '/exercises', page: () => import('../modules/exercises/ExercisesPage.tsx') },
  { path: '/exercises/new', permission: 'exercises.create', page: () => import('../modules/exercises/CreateExercisePage.tsx') },
  { path: '/exercises/:id', page: () => import('../modules/exercises/ExercisePage.tsx') },
  { path: '/exercises/:id/play/:tab?', page: () => import('../modules/play/PlayPage.tsx') },
  { path: '/join', permission: 'exercises.join', page: () => import('../modules/exercises/JoinPage.tsx') },
  { path: '/admin/partners/:tab?', permission: 'partners.manage', page: () => import('../modules/partners/PartnershipsPage.tsx') },
  { path: '/partners/agreements', permission: 'partners.read', page: () => import('../modules/partners/OurAgreementsPage.tsx') },
  { path: '/partners/catalogue', permission: 'partners.catalogue.request', page: () => import('../modules/partners/CataloguePage.tsx') },
  { path: '/sharing', permission: 'sharing.read', page: () => import('../modules/sharing/ReportsPage.tsx') },
  { path: '/sharing/reports/new', permission: 'sharing.report', page: () => import('../modules/sharing/NewReportPage.tsx') },
  { path: '/sharing/reports/:id', permission: 'sharing.read', page: () => import('../modules/sharing/ReportPage.tsx') },
  { path: '/sharing/search', permission: 'sharing.read', page: () => import('../modules/sharing/SearchPage.tsx') },
  { path: '/sharing/correlations', permission: 'sharing.read', page: () => import('../modules/sharing/CorrelationsPage.tsx') },
];

export const navigation: NavEntry[] = [
  { section: 'main', to: '/', label: 'home.nav', icon: IconHome2, end: true },
  { section: 'main', to: '/exercises', label: 'exercises.nav', icon: IconTargetArrow },
  { section: 'main', to: '/join', label: 'exercises.join.nav', icon: IconDoorEnter, permission: 'exercises.join' },
  { section: 'main', to: '/scenarios', label: 'scenarios.nav', icon: IconBooks, permission: 'scenarios.read' },
  { section: 'admin', to: '/admin/users', label: 'users.nav', icon: IconUsers, permission: 'users.read' },
  { section: 'admin', to: '/admin/organisations', label: 'organisations.nav', icon: IconBuildingCommunity, permission: 'organisations.read' },
  { section: 'main', to: '/sharing', label: 'sharing.nav', icon: IconShare, permission: 'sharing.read' },
  { section: 'main', to: '/partners/agreements', label: 'partners.our.nav', icon: IconLicense, permission: 'partners.read' },
  { section: 'main', to: '/partners/catalogue', label: 'partners.catalogue.nav', icon: IconTools, permission: 'partners.catalogue.request' },
  { section: 'admin', to: '/admin/partners', label: 'partners.nav', icon: IconHeartHandshake, permission: 'partners.manage' },
  { section: 'admin', to: '/admin/audit', label: 'audit.nav', icon: IconListSearch, permission: 'audit.read' },
  { section: 'admin', to: '/admin/security', label: 'security.nav', icon: IconShieldLock, permission: 'security.manage' },
];
