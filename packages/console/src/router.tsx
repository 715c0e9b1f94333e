/**
 * A small client-side router over the History API: the console's pages live under /console/, and
 * the server answers every /console/* path with index.html, so deep links and reloads work.
 */
import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

export const BASE = '/console';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const currentPath = (): string => window.location.pathname + window.location.search;

/** `/console/users/u1?x=1` → "/users/u1?x=1"; always starts with "/". */
export function appPath(fullPath: string): string {
  const rest = fullPath.startsWith(BASE) ? fullPath.slice(BASE.length) : fullPath;
  return rest.startsWith('/') ? rest : `/${rest}`;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE}${path}`;
  if (url === currentPath()) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

export interface Route {
  /** The path segments after /console, decoded: `/users/u%201` → ['users', 'u 1']. */
  segments: string[];
  query: URLSearchParams;
}

export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, currentPath);
  const [pathname = '', search = ''] = appPath(path).split('?', 2);
  const segments = pathname
    .split('/')
    .filter(Boolean)
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
  return { segments, query: new URLSearchParams(search) };
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An ordinary link (middle-click and ⌘-click open a tab) that navigates in place on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={`${BASE}${to}`} onClick={handle} {...rest} />;
}
