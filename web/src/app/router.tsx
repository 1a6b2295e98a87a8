import { createBrowserRouter, Outlet, ScrollRestoration, type RouteObject } from 'react-router';
import { routes } from './registry.ts';
import { RequireSession, withPermission } from './guards.tsx';
import { RouteErrorPage } from './RouteErrorPage.tsx';
import NotFoundPage from './NotFoundPage.tsx';
import { FullPageLoader } from '../components/FullPageLoader.tsx';

function Root() {
  return (
    <>
      <ScrollRestoration />
      <Outlet />
    </>
  );
}

const page = (load: () => Promise<{ default: React.ComponentType }>, permission?: string) => async () => {
  const module = await load();
  return { Component: withPermission(module.default, permission) };
};

const tree: RouteObject[] = [
  {
    element: <Root />,
    errorElement: <RouteErrorPage />,
    hydrateFallbackElement: <FullPageLoader />,
    children: [
      // Public pages: no session needed.
      { path: '/sign-in', lazy: page(() => import('../modules/auth/SignInPage.tsx')) },
      { path: '/reset-password/:token', lazy: page(() => import('../modules/auth/PasswordResetPage.tsx')) },
      { path: '/partners/apply', lazy: page(() => import('../modules/partners/ApplyPage.tsx')) },
      // Everything else is inside the signed-in shell.
      {
        element: <RequireSession />,
        children: [
          {
            // Errors of a page show inside the shell, so the menu stays usable.
            errorElement: <RouteErrorPage />,
            children: [
              ...routes.map((r): RouteObject => ({ path: r.path, lazy: page(r.page, r.permission) })),
              { path: '*', element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];

export const router = createBrowserRouter(tree);
