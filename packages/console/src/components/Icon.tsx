/** Line icons for the navigation (24 × 24, stroked with the text colour, hidden from screen readers). */
const PATHS = {
  dashboard: 'M4 13h6V4H4zM14 20h6v-9h-6zM4 20h6v-3H4zM14 7h6V4h-6z',
  environments: 'M12 3 3 8l9 5 9-5zM3 13l9 5 9-5M3 17.5l9 5 9-5',
  keys: 'M15 7a4 4 0 1 1-3.9 4.9L4 19v2h3v-2h2v-2h2l1.1-1.1A4 4 0 0 1 15 7zM16 9.5h.01',
  clients: 'M4 5h16v11H4zM8 20h8M12 16v4',
  tenants: 'M4 21V7l8-4 8 4v14M9 21v-5h6v5M8 10h.01M12 10h.01M16 10h.01',
  users:
    'M16 20v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7M21 20v-1a4 4 0 0 0-3-3.9M16 4.1a3.5 3.5 0 0 1 0 6.8',
  sessions: 'M3 6h18v10H3zM7 20h10M10 9l4 2-4 2z',
  events: 'M3 12h4l3-8 4 16 3-8h4',
  webhooks: 'M10 13a4 4 0 1 1 3-6.7M8 17h7a3 3 0 1 0 0-6M14 7l-4 7a4 4 0 1 0 3.5 6',
  menu: 'M4 6h16M4 12h16M4 18h16',
  signOut: 'M15 4h4v16h-4M10 16l-4-4 4-4M6 12h10',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name }: { name: IconName }) {
  return (
    <svg className="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
